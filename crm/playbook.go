package crm

import "context"

// Playbook is the port through which leads and sales reach the dealer's stage playbooks (the «кейсы»: a
// template of steps per lead stage and per sales stage) inside the unit of work that changes the stage. It is
// declared here, by the kernel, because leads, sales, credit and activities all call it and none of them may import
// the package that keeps the playbooks (it sits above them all: it creates activities). Each adapter's
// transaction hands one out (Tx.Playbook), implemented once by the playbooks package over the transaction's own
// stores, so every call writes in the caller's transaction. See docs/playbooks.md.
type Playbook interface {
	// EnterStage creates the steps of the subject's stage (StageSubject.StageID) as open tasks of the subject's
	// owner, linked to the lead or sale and its customer. A step is not created again while an open one of the
	// same stage and key exists for the subject, so calling it again (an owner assigned later) only adds the
	// steps missing. Without an owner nothing is created.
	// A step whose event has happened already (StageSubject.Happened; a test drive booked for the lead or the
	// customer before) is created done by itself rather than open. The subject's tasks already open at the stage
	// (left from an earlier visit) are first brought to the stage's playbook as it is now: required flag, title,
	// event and due time; cancelled when their step was removed or no longer applies.
	EnterStage(ctx context.Context, s StageSubject) error
	// LeaveStage is called before the subject leaves its stage (StageSubject.StageID) by exit. A forward exit
	// (to a later stage, converted or won) is refused while a required step of the stage is open for the
	// subject: a KindConflict error with code playbook_step_open naming the step (its key, title and activity);
	// and, for each stage it skips (StageSubject.Passed), while a required step of that stage that applies has
	// not happened by its event (it would not be created done on entry), naming the step (and its task left
	// open from an earlier visit, if any).
	// A step back is never refused; a dropped subject (lost or disqualified) is never refused and its open
	// steps are cancelled.
	LeaveStage(ctx context.Context, s StageSubject, exit StageExit) error
	// StepEvent completes every open step that completes on e.Event and belongs to e's lead, sale or customer.
	StepEvent(ctx context.Context, e StepEvent) error
	// Reconsider is called when a fact the steps' conditions read changed (a sale's payment method) while the
	// subject stays at its stage, in the unit of work of the change: the stage's open
	// steps whose condition no longer holds are cancelled (a credit step of a sale now paid in cash stops
	// blocking), and the conditional steps that now apply and are neither open nor done are created.
	Reconsider(ctx context.Context, s StageSubject) error
}

// StageSubject is the lead or sale whose stage changes.
type StageSubject struct {
	Kind          SubjectKind // lead or sale
	ID            ID          // the lead's or sale's ID
	StageID       ID          // the stage entered or left (a lead stage's or a sales stage's directory ID)
	OwnerID       ID          // who gets the steps; zero: the acting user
	CustomerID    ID          // the customer, when known
	PaymentMethod string      // a sale's payment method ("credit", ...); steps may depend on it
	LeadID        ID          // a sale's lead, when it was converted from one (its test drives count as the sale's)
	// Happened lists the events the caller knows to have happened to the subject already (a sale with a linked
	// credit application: EventCreditApplicationCreated); the steps waiting for them are created done.
	Happened []StepEventKind
	// Passed lists, for a forward exit (LeaveStage), the stages the move skips between the stage left and the one
	// entered (for a win or a conversion, every open stage after the one left), in order.
	Passed []ID
	// Created says the caller created the subject in this unit of work (a new lead or sale entering its first
	// stage): no task of it can be open yet, so EnterStage does not read the subject's open tasks.
	Created bool
}

// SubjectKind says whether a playbook is a lead stage's or a sales stage's.
type SubjectKind string

// Subject kinds.
const (
	SubjectLead SubjectKind = "lead"
	SubjectSale SubjectKind = "sale"
)

// StageExit is how a subject leaves its stage.
type StageExit string

// Stage exits.
const (
	ExitForward StageExit = "forward" // to a later stage: required steps must be done
	ExitClosed  StageExit = "closed"  // won, or converted to a sale: as forward, then the open steps left are cancelled
	ExitBack    StageExit = "back"    // to an earlier stage: never refused
	ExitDropped StageExit = "dropped" // lost or disqualified: never refused; open steps are cancelled
)

// StepEvent is something that happened which may complete playbook steps. At least one of LeadID, SaleID and
// CustomerID is set; a step matches when its activity names any of the set ones.
type StepEvent struct {
	Event      StepEventKind
	LeadID     ID
	SaleID     ID
	CustomerID ID
}

// StepEventKind is an event a playbook step may complete on.
type StepEventKind string

// The events steps complete on.
const (
	EventTestDriveBooked          StepEventKind = "test_drive_booked"          // a test drive booked for the lead or customer
	EventCreditApplicationCreated StepEventKind = "credit_application_created" // a credit application made for the sale
	EventContractFormed           StepEventKind = "contract_formed"            // the sale's purchase contract formed
	EventCallCompleted            StepEventKind = "call_completed"             // a call activity on the lead or sale completed
)

// StepEventKinds lists every event, in a fixed order.
func StepEventKinds() []StepEventKind {
	return []StepEventKind{EventTestDriveBooked, EventCreditApplicationCreated, EventContractFormed, EventCallCompleted}
}

// NoPlaybook is a Playbook that does nothing: for bundles whose callers have no playbooks (tests of one domain).
type NoPlaybook struct{}

// EnterStage does nothing.
func (NoPlaybook) EnterStage(context.Context, StageSubject) error { return nil }

// LeaveStage does nothing.
func (NoPlaybook) LeaveStage(context.Context, StageSubject, StageExit) error { return nil }

// StepEvent does nothing.
func (NoPlaybook) StepEvent(context.Context, StepEvent) error { return nil }

// Reconsider does nothing.
func (NoPlaybook) Reconsider(context.Context, StageSubject) error { return nil }

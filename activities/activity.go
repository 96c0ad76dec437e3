package activities

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/crm"
)

// Kind is what sort of activity it is.
type Kind string

// Activity kinds.
const (
	Call    Kind = "call"    // a phone call; completing it records its Outcome
	Meeting Kind = "meeting" // a meeting at the showroom or elsewhere
	Email   Kind = "email"   // an e-mail to write or written
	Task    Kind = "task"    // anything else to do
	Note    Kind = "note"    // something that happened; done when written
)

// Kinds lists every kind.
func Kinds() []Kind { return []Kind{Call, Meeting, Email, Task, Note} }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds(), k) }

// Status is where an activity stands.
type Status string

// Activity statuses: open → done (Complete) or cancelled; a done or cancelled activity may be reopened.
const (
	Open      Status = "open"      // still to do
	Done      Status = "done"      // done, with a result
	Cancelled Status = "cancelled" // not to be done
)

// Statuses lists every status.
func Statuses() []Status { return []Status{Open, Done, Cancelled} }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }

// Outcome is how a call went.
type Outcome string

// Call outcomes.
const (
	Reached     Outcome = "reached"      // spoke to the customer
	NoAnswer    Outcome = "no_answer"    // nobody answered
	Busy        Outcome = "busy"         // the line was busy
	WrongNumber Outcome = "wrong_number" // the number is not the customer's
	Callback    Outcome = "callback"     // the customer asked to be called back
)

// Contacted reports whether a call of this outcome spoke to the customer (reached, or asked to be called back):
// only such a call is a contact — it completes a playbook's call step and is a lead's first response; an
// unanswered, busy or wrong-number call is an attempt.
func (o Outcome) Contacted() bool { return o == Reached || o == Callback }

// Outcomes lists every call outcome.
func Outcomes() []Outcome { return []Outcome{Reached, NoAnswer, Busy, WrongNumber, Callback} }

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes(), o) }

// Field limits, in characters.
const (
	MaxSubject = 200  // Subject
	MaxNotes   = 4000 // Notes and Result
)

// ErrNotOpen: the activity is done or cancelled; it cannot be completed or changed, only reopened. A conflict.
var ErrNotOpen = &crm.Error{Kind: crm.KindConflict, Code: CodeNotOpen, Message: "the activity is not open"}

// Activity (дело) is one call, meeting, e-mail, task or note of a manager, linked to at least one of the dealer's
// leads, sales, customers or customer vehicles.
type Activity struct {
	crm.Meta
	Kind              Kind
	Subject           string
	Notes             string
	LeadID            crm.ID
	SaleID            crm.ID
	CustomerID        crm.ID
	CustomerVehicleID crm.ID
	OwnerID           crm.ID    // who must do it
	DueAt             time.Time // zero: no due time
	Status            Status
	Result            string    // what came of it; set when done
	Outcome           Outcome   // a call's outcome; set when a call is done
	CompletedAt       time.Time // when it was done or cancelled; zero while open
	CompletedBy       crm.ID    // who completed or cancelled it (zero: cancelled by the system, e.g. a won sale's leftover step)
	CreatedBy         crm.ID
	// Step is the playbook step the activity was created for (a stage's task); zero for an activity made by hand.
	Step StepRef
}

// StepRef names the playbook step an activity was created for: the stage whose playbook it comes from, the
// step's key, whether leaving the stage waits for it, and the event that completes it by itself ("" for none).
type StepRef struct {
	StageID     crm.ID
	Key         string
	Required    bool
	CompletesOn crm.StepEventKind
}

// IsZero reports whether the activity comes from no playbook.
func (r StepRef) IsZero() bool { return r == StepRef{} }

// Input is an activity as a caller describes it, to create it or (the whole of it, merged with a patch) to change
// it.
type Input struct {
	Kind              Kind
	Subject           string
	Notes             string
	LeadID            crm.ID
	SaleID            crm.ID
	CustomerID        crm.ID
	CustomerVehicleID crm.ID
	OwnerID           crm.ID
	DueAt             time.Time
	// Status: "" or open to create (a note is created done); when changing, open reopens and cancelled cancels;
	// done is reached only through Complete.
	Status Status
}

// Linked reports whether the input names at least one record.
func (in Input) Linked() bool {
	zero := crm.ID{}
	return in.LeadID != zero || in.SaleID != zero || in.CustomerID != zero || in.CustomerVehicleID != zero
}

// check records every problem of in's own fields (not whether its links exist: that is the service's).
func (in Input) check(p *crm.Problems) {
	if !in.Kind.Valid() {
		p.Add("kind", "must be one of call, meeting, email, task, note")
	}
	subject := strings.TrimSpace(in.Subject)
	switch {
	case subject == "":
		p.Add("subject", "is required")
	case utf8.RuneCountInString(subject) > MaxSubject:
		p.Add("subject", "is longer than %d characters", MaxSubject)
	}
	if utf8.RuneCountInString(in.Notes) > MaxNotes {
		p.Add("notes", "is longer than %d characters", MaxNotes)
	}
	if !in.Linked() {
		p.Add("customer_id", "an activity is linked to a lead, a sale, a customer or a customer vehicle: name one")
	}
	if in.OwnerID == (crm.ID{}) {
		p.Add("owner_id", "is required")
	}
	if in.Status != "" && !in.Status.Valid() {
		p.Add("status", "must be open, done or cancelled")
	}
}

// New validates in and returns it as a new activity of dealer made at now by by: open, or done at once for a
// note. Every wrong field is named in one crm.KindInvalid error: kind, subject, notes, owner_id, status (only ""
// or open), and customer_id when nothing is linked.
func New(dealer crm.ID, in Input, by crm.ID, now time.Time) (Activity, error) {
	var p crm.Problems
	in.check(&p)
	if in.Status != "" && in.Status != Open {
		p.Add("status", "a new activity is open; complete it to make it done")
	}
	if err := p.Err("activities.New"); err != nil {
		return Activity{}, err
	}
	now = now.UTC()
	a := Activity{Meta: crm.NewMeta(dealer, now), CreatedBy: by, Status: Open}
	a.set(in)
	if a.Kind == Note {
		a.Status, a.CompletedAt, a.CompletedBy = Done, now, by
	}
	return a, nil
}

func (a *Activity) set(in Input) {
	a.Kind, a.Subject, a.Notes = in.Kind, strings.TrimSpace(in.Subject), in.Notes
	a.LeadID, a.SaleID, a.CustomerID, a.CustomerVehicleID = in.LeadID, in.SaleID, in.CustomerID, in.CustomerVehicleID
	a.OwnerID = in.OwnerID
	a.DueAt = time.Time{}
	if !in.DueAt.IsZero() {
		a.DueAt = in.DueAt.UTC()
	}
}

// InputOf is the input that describes a as it is (the base a patch merges into).
func InputOf(a Activity) Input {
	return Input{Kind: a.Kind, Subject: a.Subject, Notes: a.Notes, LeadID: a.LeadID, SaleID: a.SaleID,
		CustomerID: a.CustomerID, CustomerVehicleID: a.CustomerVehicleID, OwnerID: a.OwnerID, DueAt: a.DueAt, Status: a.Status}
}

// same reports whether in describes a's editable fields unchanged (status aside).
func (a Activity) same(in Input) bool {
	b := a
	b.set(in)
	return b.Kind == a.Kind && b.Subject == a.Subject && b.Notes == a.Notes && b.LeadID == a.LeadID &&
		b.SaleID == a.SaleID && b.CustomerID == a.CustomerID && b.CustomerVehicleID == a.CustomerVehicleID &&
		b.OwnerID == a.OwnerID && b.DueAt.Equal(a.DueAt)
}

// Edit replaces a's fields with in at now. An open activity takes any valid change, and status cancelled cancels
// it; a done or cancelled one takes status open (reopened: its result, outcome and completion cleared), with or
// without other changes, and refuses any other change with ErrNotOpen. Status done is crm.KindInvalid naming
// "status" (Complete makes an activity done), as is every wrong field.
func (a *Activity) Edit(in Input, now time.Time) error {
	if in.Status == "" {
		in.Status = a.Status
	}
	var p crm.Problems
	in.check(&p)
	if in.Status == Done && a.Status != Done {
		p.Add("status", "complete the activity to make it done")
	}
	if err := p.Err("activities.Activity.Edit"); err != nil {
		return err
	}
	if a.Status != Open && in.Status != Open {
		if in.Status == a.Status && a.same(in) {
			return nil
		}
		return fmt.Errorf("activity %s is %s; reopen it (status open) to change it: %w", a.ID, a.Status, ErrNotOpen)
	}
	if a.Status != Open { // reopened
		a.Result, a.Outcome, a.CompletedAt, a.CompletedBy = "", "", time.Time{}, crm.ID{}
	}
	a.set(in)
	if in.Status == Cancelled && a.Status == Open { // the caller names who cancelled it (CompletedBy)
		a.CompletedAt = now.UTC()
	}
	a.Status = in.Status
	a.UpdatedAt = now.UTC()
	return nil
}

// Complete makes an open activity done at now by by with its result. A call needs its outcome; any other kind
// takes none. ErrNotOpen when the activity is done or cancelled; crm.KindInvalid naming "result" (empty or too
// long) or "outcome".
func (a *Activity) Complete(result string, outcome Outcome, by crm.ID, now time.Time) error {
	var p crm.Problems
	result = strings.TrimSpace(result)
	switch {
	case result == "":
		p.Add("result", "is required")
	case utf8.RuneCountInString(result) > MaxNotes:
		p.Add("result", "is longer than %d characters", MaxNotes)
	}
	switch {
	case a.Kind == Call && outcome == "":
		p.Add("outcome", "is required to complete a call")
	case a.Kind == Call && !outcome.Valid():
		p.Add("outcome", "must be one of reached, no_answer, busy, wrong_number, callback")
	case a.Kind != Call && outcome != "":
		p.Add("outcome", "only a call has an outcome")
	}
	if a.Status != Open {
		return fmt.Errorf("activity %s is %s: %w", a.ID, a.Status, ErrNotOpen)
	}
	if err := p.Err("activities.Activity.Complete"); err != nil {
		return err
	}
	now = now.UTC()
	a.Status, a.Result, a.Outcome, a.CompletedAt, a.CompletedBy = Done, result, outcome, now, by
	a.UpdatedAt = now
	return nil
}

// Overdue reports whether a is open and was due before now.
func (a Activity) Overdue(now time.Time) bool {
	return a.Status == Open && !a.DueAt.IsZero() && a.DueAt.Before(now)
}

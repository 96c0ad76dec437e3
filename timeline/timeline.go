// Package timeline is the customer timeline: one ordered, keyset-paged view of everything that happened with a
// customer — activities (made and done), leads and their stage changes, test drives, sales and their stage
// changes, credit applications and their state changes, appraisals and their state changes, service
// appointments, and the notices queued for the customer (the outbox). It is built from the stores at read time
// (a UNION query on PostgreSQL, a merge of the records in memory), never kept as a log of its own that could
// drift from them. Each adapter answers Store; the order, the cursor and the summaries are this package's, so
// both adapters give the same answer. See docs/timeline.md.
package timeline

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Kind is what an item tells.
type Kind string

// Item kinds.
const (
	ActivityCreated    Kind = "activity"           // an activity made (From: its kind; Text: its subject)
	ActivityDone       Kind = "activity_done"      // an activity completed (From: its kind; Text: its result)
	ActivityCancelled  Kind = "activity_cancelled" // an activity cancelled (From: its kind; Text: its subject)
	LeadStage          Kind = "lead_stage"         // a lead's stage change; From "" is the lead coming in (Text: reason)
	TestDriveBooked    Kind = "test_drive"         // a test drive booked (To: its status now)
	SaleStage          Kind = "sale_stage"         // a sale's stage change; From "" is the sale opened (Text: reason)
	CreditState        Kind = "credit_state"       // a credit application's state change; From "" is it made (Text: comment)
	AppraisalState     Kind = "appraisal_state"    // an appraisal sheet's state change; From "" is it made (Text: comment)
	ServiceAppointment Kind = "service_visit"      // a service appointment booked (To: its status now)
	Notice             Kind = "notice"             // a notice queued to the customer (From: topic; Text: subject)
)

// Kinds lists every kind.
func Kinds() []Kind {
	return []Kind{ActivityCreated, ActivityDone, ActivityCancelled, LeadStage, TestDriveBooked, SaleStage, CreditState, AppraisalState,
		ServiceAppointment, Notice}
}

// RecordType names the record an item is about.
type RecordType string

// Record types.
const (
	RecordActivity           RecordType = "activity"
	RecordLead               RecordType = "lead"
	RecordTestDrive          RecordType = "test_drive"
	RecordSale               RecordType = "sale"
	RecordCreditApplication  RecordType = "credit_application"
	RecordAppraisal          RecordType = "appraisal"
	RecordServiceAppointment RecordType = "service_appointment"
	RecordNotice             RecordType = "notice"
)

// RecordTypes lists every record type.
func RecordTypes() []RecordType {
	return []RecordType{RecordActivity, RecordLead, RecordTestDrive, RecordSale, RecordCreditApplication, RecordAppraisal,
		RecordServiceAppointment, RecordNotice}
}

// Item is one thing that happened with the customer.
type Item struct {
	At         time.Time
	Kind       Kind
	Actor      crm.ID // who did it; zero for the system (an import, a notice)
	RecordType RecordType
	RecordID   crm.ID
	Seq        int    // the entry's position in the record's history (0 for a record's only event; 1 for an activity done)
	From, To   string // the stage or state left and entered, or as each kind says
	Text       string // a reason, comment, subject or result, as each kind says
	// Status and Reason are a notice's delivery: pending, sent or dead (crm.MessageStatus), and why it is not
	// sent (yet) — the last failure, e.g. "no consent on email"; "" for other kinds and for a sent notice.
	Status, Reason string
	Summary        string // one line for people; set by the service (Summarize)
}

// Before reports whether a comes before b in the timeline: newer first, then by record type, record ID and
// position descending (the stable tie-breaker of items at the same instant). Adapters that sort in Go use it.
func Before(a, b Item) bool {
	if !a.At.Equal(b.At) {
		return a.At.After(b.At)
	}
	if a.RecordType != b.RecordType {
		return a.RecordType > b.RecordType
	}
	if a.RecordID != b.RecordID {
		return a.RecordID.String() > b.RecordID.String()
	}
	return a.Seq > b.Seq
}

// Position is where an item stands in the order: the key of the keyset cursor.
type Position struct {
	At         time.Time
	RecordType RecordType
	RecordID   crm.ID
	Seq        int
}

// IsZero reports whether p is the start (no cursor).
func (p Position) IsZero() bool { return p.At.IsZero() }

// PositionOf is it's position.
func PositionOf(it Item) Position {
	return Position{At: it.At, RecordType: it.RecordType, RecordID: it.RecordID, Seq: it.Seq}
}

// After reports whether it comes after p (so belongs to the page that starts at p).
func (p Position) After(it Item) bool {
	return p.IsZero() || Before(Item{At: p.At, RecordType: p.RecordType, RecordID: p.RecordID, Seq: p.Seq}, it)
}

// List is the timeline (Service.Page), newest first by (At, RecordType, RecordID, Seq). Its cursors name it
// (crm.List): the key holds the time in microseconds, the record type and the sequence number, the ID the record's.
var List = crm.List{Name: "timeline", Order: "at desc"}

// Encode makes the opaque cursor of the page after p.
func (p Position) Encode() string {
	return List.Cursor(fmt.Sprintf("%d|%s|%d", p.At.UTC().UnixMicro(), p.RecordType, p.Seq), p.RecordID)
}

// DecodeCursor reads a cursor made by Position.Encode; "" is the start. crm.KindInvalid naming "cursor" otherwise.
func DecodeCursor(s string) (Position, error) {
	if s == "" {
		return Position{}, nil
	}
	const op = "timeline.DecodeCursor"
	key, id, err := List.Decode(op, s)
	if err != nil {
		return Position{}, err
	}
	bad := crm.Invalid(op, crm.FieldError{Field: "cursor", Message: "is not a cursor of this list"})
	parts := strings.Split(key, "|")
	if len(parts) != 3 {
		return Position{}, bad
	}
	micros, err1 := strconv.ParseInt(parts[0], 10, 64)
	seq, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || micros <= 0 || seq < 0 {
		return Position{}, bad
	}
	known := false
	for _, t := range RecordTypes() {
		known = known || string(t) == parts[1]
	}
	if !known {
		return Position{}, bad
	}
	return Position{At: time.UnixMicro(micros).UTC(), RecordType: RecordType(parts[1]), RecordID: id, Seq: seq}, nil
}

// Summarize is the one line an item shows, made from its facts (the same on every adapter).
func Summarize(it Item) string {
	with := func(s, text string) string {
		if text != "" {
			return s + ": " + text
		}
		return s
	}
	change := func(what, madeAt string) string {
		if it.From == "" {
			return fmt.Sprintf("%s %s %s", what, madeAt, it.To)
		}
		return with(fmt.Sprintf("%s moved from %s to %s", what, it.From, it.To), it.Text)
	}
	switch it.Kind {
	case ActivityCreated:
		return with(it.From+" planned", it.Text)
	case ActivityDone:
		return with(it.From+" done", it.Text)
	case ActivityCancelled:
		return with(it.From+" cancelled", it.Text)
	case LeadStage:
		return change("lead", "came in at stage")
	case TestDriveBooked:
		return "test drive booked (now " + it.To + ")"
	case SaleStage:
		return change("sale", "opened at stage")
	case CreditState:
		return change("credit application", "made as")
	case AppraisalState:
		return change("appraisal", "made as")
	case ServiceAppointment:
		return "service appointment booked (now " + it.To + ")"
	case Notice:
		return with("notice "+it.From, it.Text)
	}
	return string(it.Kind)
}

// Store reads the timeline of a customer of the context's dealer from the records themselves. Every method returns
// crm.KindForbidden when the context carries no dealer.
type Store interface {
	// Customer returns up to limit items of the customer that come after position after (the zero position: from
	// the newest), in the order of Before. An unknown customer has none.
	Customer(ctx context.Context, customerID crm.ID, after Position, limit int) ([]Item, error)
}

// Stores is what the timeline service reads.
type Stores interface {
	Timeline() Store
	Customers() crm.CustomerStore
}

// Page is one page of a timeline.
type Page struct {
	Items      []Item
	NextCursor string // "" on the last page
}

// Service reads customer timelines.
type Service struct{ uow crm.UnitOfWork[Stores] }

// NewService returns a service over uow; it panics when uow is nil (a wiring mistake).
func NewService(uow crm.UnitOfWork[Stores]) *Service {
	if uow == nil {
		panic("timeline.NewService: nil unit of work")
	}
	return &Service{uow: uow}
}

// CustomerTimeline returns one page of customer id's timeline, newest first, limit items (crm.PageLimit) after the
// cursor (from the previous page's NextCursor; "" for the first page), each with its Summary. crm.KindNotFound for
// a customer the dealer does not have; crm.KindInvalid naming "cursor" or "limit".
func (s *Service) CustomerTimeline(ctx context.Context, id crm.ID, limit int, cursor string) (Page, error) {
	const op = "timeline.Service.CustomerTimeline"
	after, err := DecodeCursor(cursor)
	if err != nil {
		return Page{}, crm.Wrap(op, err)
	}
	if limit < 0 {
		return Page{}, crm.Invalid(op, crm.FieldError{Field: "limit", Message: "cannot be negative"})
	}
	limit = crm.PageLimit(limit)
	var out Page
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		out = Page{} // fn may run more than once
		if _, err := st.Customers().Get(ctx, id); err != nil {
			return err
		}
		items, err := st.Timeline().Customer(ctx, id, after, limit+1)
		if err != nil {
			return err
		}
		if len(items) > limit {
			items = items[:limit]
			out.NextCursor = PositionOf(items[limit-1]).Encode()
		}
		for i := range items {
			items[i].Summary = Summarize(items[i])
		}
		if items == nil {
			items = []Item{}
		}
		out.Items = items
		return nil
	})
	return out, crm.Wrap(op, err)
}

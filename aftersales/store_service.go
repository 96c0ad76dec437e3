package aftersales

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// The period lists aftersales' stores page, each named in its cursors (crm.List): a cursor one of them made is
// refused by every other. Adapters make and read the cursors only through them, so that cursors are alike
// everywhere.
var (
	// AppointmentList is the workshop calendar (AppointmentStore.PageBetween), by start, then ID.
	AppointmentList = crm.List{Name: "service-appointments", Order: "start asc"}
	// ExpiringWarrantyList is the warranties about to end (WarrantyStore.PageEndingBetween), by end, then ID.
	ExpiringWarrantyList = crm.List{Name: "warranties-expiring", Order: "end asc"}
)

// AppointmentStore keeps the service appointments of the context's dealer. Every method returns a
// crm.KindForbidden error when the context carries no dealer.
type AppointmentStore interface {
	// Get returns the appointment; KindNotFound if missing or another dealer's. In a read-write unit of work the
	// record is locked until the unit ends.
	Get(ctx context.Context, id crm.ID) (Appointment, error)
	// Create saves a new appointment (Version becomes 1). An appointment holding its bay (HoldsBay) that
	// overlaps another one holding the same bay is refused with ErrBayTaken, and one overlapping another appointment
	// of the same customer vehicle with ErrCarBooked — both held by the store itself (in PostgreSQL by exclusion
	// constraints), so that of racing bookings exactly one wins.
	Create(ctx context.Context, a *Appointment) error
	// Update saves a if a.Version is the stored one and bumps it (KindStaleVersion otherwise, KindNotFound if
	// missing); an overlap is ErrBayTaken or ErrCarBooked as for Create.
	Update(ctx context.Context, a *Appointment) error
	// ListBetween returns the appointments of any status overlapping [from, to), by start, then ID. An
	// appointment lasts at most MaxAppointmentLength, so a store reads only those starting in
	// [from − MaxAppointmentLength, to).
	ListBetween(ctx context.Context, from, to time.Time) ([]Appointment, error)
	// PageBetween returns the page pr asks for (crm.PageRequest) of the appointments matching f — overlapping
	// [f.From, f.To), of f's bay, advisor, status and car when set — by start, then ID: keyset pages read from
	// an ordered index (starting in [f.From − MaxAppointmentLength, f.To)), so a page costs about its own size
	// whatever the workshop's history. KindInvalid naming cursor for a cursor that is not one.
	PageBetween(ctx context.Context, f AppointmentFilter, pr crm.PageRequest) (crm.Page[Appointment], error)
	// ListByCustomerVehicle returns the car's appointments of any status, by start, then ID.
	ListByCustomerVehicle(ctx context.Context, customerVehicleID crm.ID) ([]Appointment, error)
	// ListByCustomer returns the appointments booked for a customer (Appointment.CustomerID) of any status, by
	// start, then ID.
	ListByCustomer(ctx context.Context, customerID crm.ID) ([]Appointment, error)
}

// AdvisorDayStore counts the active appointments of each service advisor per local day and holds the day limit:
// the counter is the lock that serialises racing bookings of one advisor's day (in PostgreSQL a row updated in
// place with a guard).
type AdvisorDayStore interface {
	// Add changes the advisor's count of day ("YYYY-MM-DD") by delta; with delta > 0 it refuses with
	// ErrAdvisorDayFull when the count would pass limit, and changes nothing then.
	Add(ctx context.Context, advisorID crm.ID, day string, delta, limit int) error
}

// WarrantyStore keeps the warranty contracts of the context's dealer's customer vehicles. Every method returns a
// crm.KindForbidden error when the context carries no dealer.
type WarrantyStore interface {
	// Get returns the warranty; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (Warranty, error)
	// Create saves a new warranty (Version becomes 1); KindInvalid for a car the dealer does not have.
	Create(ctx context.Context, w *Warranty) error
	// Update saves w if w.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing.
	Update(ctx context.Context, w *Warranty) error
	// ListByCustomerVehicle returns the car's warranties, manufacturer ones first, then by start and ID.
	ListByCustomerVehicle(ctx context.Context, customerVehicleID crm.ID) ([]Warranty, error)
	// PageEndingBetween returns the page pr asks for (crm.PageRequest) of the warranties that are not void and
	// end on a date in [from, to), by end, then ID: keyset pages read from an ordered index. KindInvalid naming
	// cursor for a cursor that is not one.
	PageEndingBetween(ctx context.Context, from, to time.Time, pr crm.PageRequest) (crm.Page[Warranty], error)
}

package catalog

import (
	"fmt"
	"strconv"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Condition says whether a vehicle is new or used.
type Condition string

// Vehicle conditions.
const (
	New           Condition = "new"
	Used          Condition = "used"
	CertifiedUsed Condition = "certified_used"
)

// VehicleFinance holds the money figures of a vehicle card.
type VehicleFinance struct {
	ListPrice   crm.Money       `json:"list_price"`
	Cost        crm.Money       `json:"cost"`         // invoice / acquisition cost
	Discount    crm.Money       `json:"discount"`     // standing discount off the list price
	VATRate     decimal.Decimal `json:"vat_rate"`     // e.g. 0.20; list price includes VAT
	MarketValue crm.Money       `json:"market_value"` // an outside valuation, if known
}

// VehicleInsurance is the insurance a vehicle carries.
type VehicleInsurance struct {
	Insurer      string    `json:"insurer,omitempty"`
	PolicyNumber string    `json:"policy_number,omitempty"`
	ValidFrom    time.Time `json:"valid_from,omitzero"`
	ValidTo      time.Time `json:"valid_to,omitzero"`
}

// VehicleSpecs holds the technical data of a vehicle card.
type VehicleSpecs struct {
	EngineType     string          `json:"engine_type,omitempty"` // e.g. "petrol I4"
	DisplacementCC int             `json:"displacement_cc,omitempty"`
	PowerKW        decimal.Decimal `json:"power_kw"`
	PowerHP        decimal.Decimal `json:"power_hp"`
	Fuel           string          `json:"fuel,omitempty"`         // petrol, diesel, hybrid, electric, lpg
	Transmission   string          `json:"transmission,omitempty"` // manual, automatic, cvt, robot
	Drive          string          `json:"drive,omitempty"`        // fwd, rwd, awd, 4wd
	Seats          int             `json:"seats,omitempty"`
	Doors          int             `json:"doors,omitempty"`
	EmissionClass  string          `json:"emission_class,omitempty"` // e.g. "Euro 5"
}

// Vehicle is a vehicle card: identity, stock, finance, insurance, technical data and where it stands.
// Status changes only through Reserve, Release, Sell and SetStatus, which enforce the rules.
type Vehicle struct {
	crm.Meta
	// Identity.
	VIN           VIN       `json:"vin"`
	Make          string    `json:"make"`
	Model         string    `json:"model"`
	Generation    string    `json:"generation,omitempty"`
	Trim          string    `json:"trim,omitempty"`
	ModelCode     string    `json:"model_code,omitempty"`
	Year          int       `json:"year"` // model year
	Body          string    `json:"body,omitempty"`
	Color         string    `json:"color,omitempty"`
	InteriorColor string    `json:"interior_color,omitempty"`
	Condition     Condition `json:"condition"`
	EngineNumber  string    `json:"engine_number,omitempty"`
	RegNumber     string    `json:"reg_number,omitempty"` // registration plate
	// ExternalID is the car's ID in the embedder's own system (a DMS, say): unique per dealer when set, so a sync
	// finds the card by it without a mapping table.
	ExternalID string `json:"external_id,omitempty"`
	// Stock.
	StockNumber string    `json:"stock_number,omitempty"`
	Location    string    `json:"location,omitempty"` // facility / lot
	ArrivedAt   time.Time `json:"arrived_at,omitzero"`
	Demo        bool      `json:"demo"`
	Mileage     int       `json:"mileage"` // odometer, km
	// The dealer tab: branch, responsible manager, supplier, arrival document.
	DealerTab VehicleDealerTab `json:"dealer"`
	// Money, insurance, technical data.
	Finance   VehicleFinance   `json:"finance"`
	Insurance VehicleInsurance `json:"insurance"`
	Specs     VehicleSpecs     `json:"specs"`
	// Build references the model directory (a configuration, options, colours); zero for a card typed by hand.
	Build VehicleBuild `json:"build,omitzero"`
	// Where it stands.
	Status       Status        `json:"status"`
	Reservations []Reservation `json:"reservations,omitempty"`
	SoldAt       time.Time     `json:"sold_at,omitzero"`
	SaleID       crm.ID        `json:"sale_id,omitzero"`
	// SaleHoldsOnly is set on a vehicle read without its shared holds (VehicleStore.GetForReserve): Reservations
	// then carries only the exclusive holds (Purpose.Exclusive), which are all that Reserve and Sell look at, so
	// that booking a test drive costs the same however many drives the car has booked. Saving such a vehicle keeps
	// the shared holds it did not carry (and drops them all when the vehicle is no longer reserved). Release,
	// HeldBy and ActiveReservations need every hold: read the vehicle with Get for them.
	SaleHoldsOnly bool `json:"-"`
	// DroppedHolds are the shared holds a vehicle read with only some of them (SaleHoldsOnly) carried and has
	// dropped since (their time ran out: VehicleStore.GetForExpiry, then dropExpired): saving it deletes them, and
	// only them, while it stays reserved.
	DroppedHolds []crm.ID `json:"-"`
}

// Name returns "Make Model Trim Year" as shown on lists and documents.
func (v Vehicle) Name() string {
	var buf [128]byte // one allocation: the string
	b := append(append(append(buf[:0], v.Make...), ' '), v.Model...)
	if v.Trim != "" {
		b = append(append(b, ' '), v.Trim...)
	}
	if v.Year != 0 {
		b = strconv.AppendInt(append(b, ' '), int64(v.Year), 10)
	}
	return string(b)
}

// Clone returns a deep copy (stores hand out copies so that callers cannot change what is stored).
func (v Vehicle) Clone() Vehicle {
	v.Reservations = append([]Reservation(nil), v.Reservations...)
	v.DroppedHolds = append([]crm.ID(nil), v.DroppedHolds...)
	v.Build = v.Build.Clone()
	return v
}

// ActiveReservations returns the reservations still holding at now.
func (v *Vehicle) ActiveReservations(now time.Time) []Reservation {
	var out []Reservation
	for _, r := range v.Reservations {
		if r.ActiveAt(now) {
			out = append(out, r)
		}
	}
	return out
}

// Reserve holds the vehicle for r.Holder, beside the holds it already has. A sale's hold is exclusive: while
// another holder's sale holds the vehicle nothing else can be reserved (ErrVehicleReserved naming that sale). Test
// drives of different holders share the car: each holds it for its own slot (the slots themselves never overlap,
// which the test-drive calendar enforces), and a sale can hold a car that has other prospects' drives booked (the
// win cancels them). It returns ErrVehicleSold, ErrVehicleUnavailable, ErrVehicleReserved; crm.KindInvalid when
// r.Until is set but not after now. Expired reservations are dropped first.
func (v *Vehicle) Reserve(r Reservation, now time.Time) error {
	if r.Holder.IsZero() {
		return crm.Invalid("catalog.Vehicle.Reserve", crm.FieldError{Field: "holder", Message: "is required"})
	}
	if r.RefID == (crm.ID{}) {
		return crm.Invalid("catalog.Vehicle.Reserve", crm.FieldError{Field: "ref_id", Message: "is required"})
	}
	if !r.Until.IsZero() && !r.ActiveAt(now) {
		// Already over: it would leave the vehicle reserved for nobody.
		return crm.Invalid("catalog.Vehicle.Reserve", crm.FieldError{Field: "until", Message: "must be in the future"})
	}
	switch v.Status {
	case StatusSold:
		return fmt.Errorf("vehicle %s: %w", v.ID, ErrVehicleSold)
	case StatusInTransit, StatusUnavailable:
		return fmt.Errorf("vehicle %s is %s: %w", v.ID, v.Status, ErrVehicleUnavailable)
	}
	v.dropExpired(now)
	for _, held := range v.Reservations {
		if held.Purpose.Exclusive() && !held.Holder.Same(r.Holder) {
			return fmt.Errorf("vehicle %s held for %s %s: %w", v.ID, held.Purpose, held.RefID, ErrVehicleReserved)
		}
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	r.CreatedAt, r.From, r.Until = utc(r.CreatedAt), utc(r.From), utc(r.Until)
	held := make([]Reservation, 0, len(v.Reservations)+1)
	replaced := false
	for _, h := range v.Reservations {
		if h.RefID == r.RefID {
			h, replaced = r, true
		}
		held = append(held, h)
	}
	if !replaced {
		held = append(held, r)
	}
	v.Reservations = held
	v.Status = StatusReserved
	return nil
}

// Release drops the reservation made by ref (a test drive or a sale). When no reservation is left the vehicle is
// back in stock. Releasing what is not held is not an error.
func (v *Vehicle) Release(ref crm.ID, now time.Time) {
	var kept []Reservation // a new slice: a copy of v that shares the old array keeps its reservations
	for _, r := range v.Reservations {
		if r.RefID != ref {
			kept = append(kept, r)
		}
	}
	v.Reservations = kept
	v.dropExpired(now)
	if v.Status == StatusReserved && len(v.Reservations) == 0 {
		v.Status = StatusInStock
		v.Reservations = nil
	}
}

// HeldBy reports whether the vehicle has a reservation held by h at now.
func (v *Vehicle) HeldBy(h Holder, now time.Time) bool {
	for _, r := range v.Reservations {
		if r.ActiveAt(now) && r.Holder.Same(h) {
			return true
		}
	}
	return false
}

// Sell marks the vehicle sold to the holder (whose sale is saleID). It fails with ErrVehicleSold if already sold,
// ErrVehicleUnavailable if in transit or withdrawn, and ErrVehicleReserved if someone else holds it. Every
// reservation is dropped: the caller closes the test drives they belong to.
func (v *Vehicle) Sell(h Holder, saleID crm.ID, now time.Time) error {
	switch v.Status {
	case StatusSold:
		return fmt.Errorf("vehicle %s: %w", v.ID, ErrVehicleSold)
	case StatusInTransit, StatusUnavailable:
		return fmt.Errorf("vehicle %s is %s: %w", v.ID, v.Status, ErrVehicleUnavailable)
	}
	v.dropExpired(now)
	for _, r := range v.Reservations {
		if r.Purpose.Exclusive() && !r.Holder.Same(h) {
			return fmt.Errorf("vehicle %s held for sale %s: %w", v.ID, r.RefID, ErrVehicleReserved)
		}
	}
	v.Status = StatusSold
	v.Reservations = nil
	v.SaleID = saleID
	v.SoldAt = now
	if !v.Build.IsZero() {
		v.Build.FrozenAt = now // the card keeps what it was sold with
	}
	return nil
}

// SetStatus moves a vehicle between in stock, in transit and unavailable (arrival, withdrawal). Reserved and sold
// are reached only through Reserve and Sell; a reserved or sold vehicle cannot be moved this way.
func (v *Vehicle) SetStatus(s Status) error {
	switch s {
	case StatusInStock, StatusInTransit, StatusUnavailable:
	default:
		return crm.Invalid("catalog.Vehicle.SetStatus", crm.FieldError{Field: "status", Message: "must be in_stock, in_transit or unavailable"})
	}
	switch v.Status {
	case StatusSold:
		return fmt.Errorf("vehicle %s: %w", v.ID, ErrVehicleSold)
	case StatusReserved:
		return fmt.Errorf("vehicle %s: %w", v.ID, ErrVehicleReserved)
	}
	v.Status = s
	return nil
}

// dropExpired drops the holds whose time ran out at now; the vehicle is back in stock when none is left. On a
// vehicle read with only some of its shared holds (SaleHoldsOnly) the shared ones dropped are remembered in
// DroppedHolds, for the store to delete.
func (v *Vehicle) dropExpired(now time.Time) {
	var kept []Reservation
	for _, r := range v.Reservations {
		switch {
		case r.ActiveAt(now):
			kept = append(kept, r)
		case v.SaleHoldsOnly && !r.Purpose.Exclusive():
			v.DroppedHolds = append(v.DroppedHolds, r.RefID)
		}
	}
	v.Reservations = kept
	if len(kept) == 0 {
		v.Reservations = nil
		if v.Status == StatusReserved {
			v.Status = StatusInStock
		}
	}
}

package aftersales

import (
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// CustomerVehicle is a vehicle a customer owns and the dealer knows: the identity of the car (copied from the
// catalog card at sale, so it survives later edits of the card), the sale it came from, its insurance, the
// service contract flag, the selling dealer and the odometer at sale.
type CustomerVehicle struct {
	crm.Meta
	CustomerID crm.ID      `json:"customer_id"`
	VehicleID  crm.ID      `json:"vehicle_id"`
	VIN        catalog.VIN `json:"vin"`
	Make       string      `json:"make"`
	Model      string      `json:"model"`
	Trim       string      `json:"trim,omitempty"`
	Year       int         `json:"year"`
	// The sale the customer bought it in, and when; zero for a car bought elsewhere.
	SaleID crm.ID    `json:"sale_id,omitzero"`
	SoldAt time.Time `json:"sold_at,omitzero"`
	// Insurance: insurer, policy number and period.
	Insurance       catalog.VehicleInsurance `json:"insurance"`
	ServiceContract bool                     `json:"service_contract"`
	SellingDealerID crm.ID                   `json:"selling_dealer_id,omitzero"`
	OdometerAtSale  int                      `json:"odometer_at_sale_km"` // km
	// InServiceSince is when the car started its life with this owner: the sale date for a car sold here, the
	// purchase date given for a car bought elsewhere. Scheduled maintenance counts from it.
	InServiceSince time.Time `json:"in_service_since,omitzero"`
	// Odometer is the last mileage reading (km) and OdometerAt when it was taken; zero before any reading.
	Odometer   int       `json:"odometer_km"`
	OdometerAt time.Time `json:"odometer_at,omitzero"`
	// LastMaintenanceAt and LastMaintenanceKM are the last completed scheduled-maintenance visit; zero before one.
	LastMaintenanceAt time.Time `json:"last_maintenance_at,omitzero"`
	LastMaintenanceKM int       `json:"last_maintenance_km"`
	// Plan is the maintenance plan attached to the car (at sale, from the model's); zero when none is attached.
	Plan AttachedPlan `json:"plan,omitzero"`
	// Owners is the history of owner changes, oldest first.
	Owners []OwnerChange `json:"owners,omitempty"`
	// PastInsurance holds the policies replaced by renewals, oldest first.
	PastInsurance []catalog.VehicleInsurance `json:"past_insurance,omitempty"`
}

// AttachedPlan is a maintenance plan as a customer vehicle keeps it: which plan, and its interval.
type AttachedPlan struct {
	PlanID   crm.ID              `json:"plan_id,omitzero"`
	Interval MaintenanceInterval `json:"interval"`
}

// OwnerChange records that the car passed from one customer to another.
type OwnerChange struct {
	From   crm.ID    `json:"from"`
	To     crm.ID    `json:"to"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// NewCustomerVehicle validates cv and returns it as a new record of dealer created at now. The customer, the
// VIN (CheckVIN) and the make are required, and the catalog vehicle when the car comes from a sale (a car bought
// elsewhere has none); the model year is between catalog.FirstModelYear and two years after now's; a sale date
// needs a sale; the odometer cannot be negative; an insurance period must end after it starts. It returns a crm.KindInvalid error naming every wrong field. The odometer at sale becomes the car's
// first known odometer, and the sale date (if any) the day it entered service.
func NewCustomerVehicle(dealer crm.ID, cv CustomerVehicle, now time.Time) (CustomerVehicle, error) {
	var p crm.Problems
	cv.VIN = checkVIN(&p, cv.VIN)
	cv.Make, cv.Model, cv.Trim = strings.TrimSpace(cv.Make), strings.TrimSpace(cv.Model), strings.TrimSpace(cv.Trim)
	if cv.CustomerID == (crm.ID{}) {
		p.Add("customer_id", "is required")
	}
	if cv.VehicleID == (crm.ID{}) && cv.SaleID != (crm.ID{}) {
		p.Add("vehicle_id", "is required")
	}
	checkModelYear(&p, cv.Year, now)
	p.Require("make", cv.Make)
	if !cv.SoldAt.IsZero() && cv.SaleID == (crm.ID{}) {
		p.Add("sale_id", "is required with a sale date")
	}
	if cv.OdometerAtSale < 0 {
		p.Add("odometer_at_sale_km", "cannot be negative")
	}
	ValidateInsurance(&p, "insurance.", cv.Insurance)
	if err := p.Err("aftersales.NewCustomerVehicle"); err != nil {
		return CustomerVehicle{}, err
	}
	cv.Meta = crm.NewMeta(dealer, now)
	cv.SoldAt, cv.InServiceSince = utc(cv.SoldAt), utc(cv.InServiceSince)
	if cv.InServiceSince.IsZero() {
		cv.InServiceSince = cv.SoldAt
	}
	if cv.InServiceSince.IsZero() {
		cv.InServiceSince = now.UTC()
	}
	if cv.Odometer < cv.OdometerAtSale {
		cv.Odometer = cv.OdometerAtSale
	}
	if cv.OdometerAt.IsZero() {
		cv.OdometerAt = cv.InServiceSince
	}
	cv.OdometerAt = utc(cv.OdometerAt)
	cv.Owners, cv.PastInsurance = nil, nil
	cv.Insurance.ValidFrom, cv.Insurance.ValidTo = utc(cv.Insurance.ValidFrom), utc(cv.Insurance.ValidTo)
	if cv.SellingDealerID == (crm.ID{}) && cv.SaleID != (crm.ID{}) {
		cv.SellingDealerID = dealer
	}
	return cv, nil
}

// CheckVIN parses a customer vehicle's VIN leniently (catalog.ParseVIN without the check digit): 17 characters,
// digits and capital letters except I, O and Q. A customer's car may have been bought abroad or long ago, where
// the North-American check digit is not used, so it is never required here (a card in the dealer's own stock is
// parsed as the dealer's StrictVIN says). It returns the normalised VIN, or a crm.KindInvalid error naming "vin".
func CheckVIN(s string) (catalog.VIN, error) {
	if strings.TrimSpace(s) == "" {
		return "", crm.Invalid("aftersales.CheckVIN", crm.FieldError{Field: "vin", Message: "is required"})
	}
	return catalog.ParseVIN(s, false)
}

func checkVIN(p *crm.Problems, vin catalog.VIN) catalog.VIN {
	v, err := CheckVIN(string(vin))
	if err != nil {
		p.Merge("", err)
		return catalog.VIN(strings.ToUpper(strings.TrimSpace(string(vin))))
	}
	return v
}

// checkModelYear records in p a model year outside catalog.FirstModelYear to two years after now's, as a
// catalog card's.
func checkModelYear(p *crm.Problems, year int, now time.Time) {
	if last := now.Year() + 2; year < catalog.FirstModelYear || year > last {
		p.Add("year", "must be a model year between %d and %d", catalog.FirstModelYear, last)
	}
}

// ValidateInsurance records in p what is wrong with an insurance (field names prefixed with prefix): a policy
// number needs an insurer, and the period, when both ends are given, must end after it starts.
func ValidateInsurance(p *crm.Problems, prefix string, in catalog.VehicleInsurance) {
	if in.PolicyNumber != "" && in.Insurer == "" {
		p.Add(prefix+"insurer", "is required with a policy number")
	}
	if !in.ValidFrom.IsZero() && !in.ValidTo.IsZero() && !in.ValidTo.After(in.ValidFrom) {
		p.Add(prefix+"valid_to", "must be after valid_from")
	}
}

// Insured reports whether an insurer is recorded.
func (cv CustomerVehicle) Insured() bool { return cv.Insurance.Insurer != "" }

// Clone returns a deep copy.
func (cv CustomerVehicle) Clone() CustomerVehicle {
	cv.Owners = append([]OwnerChange(nil), cv.Owners...)
	cv.PastInsurance = append([]catalog.VehicleInsurance(nil), cv.PastInsurance...)
	if len(cv.Owners) == 0 {
		cv.Owners = nil
	}
	if len(cv.PastInsurance) == 0 {
		cv.PastInsurance = nil
	}
	return cv
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

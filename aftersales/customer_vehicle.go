package aftersales

import (
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
}

// NewCustomerVehicle validates cv and returns it as a new record of dealer created at now. The customer, the
// vehicle, the VIN and the make are required; a sale date needs a sale; the odometer cannot be negative; an
// insurance period must end after it starts. It returns a crm.KindInvalid error naming every wrong field.
func NewCustomerVehicle(dealer crm.ID, cv CustomerVehicle, now time.Time) (CustomerVehicle, error) {
	var p crm.Problems
	if cv.CustomerID == (crm.ID{}) {
		p.Add("customer_id", "is required")
	}
	if cv.VehicleID == (crm.ID{}) {
		p.Add("vehicle_id", "is required")
	}
	p.Require("vin", string(cv.VIN))
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
	cv.SoldAt = utc(cv.SoldAt)
	cv.Insurance.ValidFrom, cv.Insurance.ValidTo = utc(cv.Insurance.ValidFrom), utc(cv.Insurance.ValidTo)
	if cv.SellingDealerID == (crm.ID{}) && cv.SaleID != (crm.ID{}) {
		cv.SellingDealerID = dealer
	}
	return cv, nil
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

// Clone returns a copy (a CustomerVehicle has no reference fields; Clone exists for the stores' uniformity).
func (cv CustomerVehicle) Clone() CustomerVehicle { return cv }

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

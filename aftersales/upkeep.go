package aftersales

import (
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// CustomerVehicleEdit is a change of a customer vehicle's card: nil fields keep their values. A new CustomerID
// is a change of owner (recorded in the history with OwnerChangeReason); a new Insurance is a renewal (the
// current policy, if any, moves to PastInsurance).
type CustomerVehicleEdit struct {
	VIN               *catalog.VIN
	Make              *string
	Model             *string
	Trim              *string
	Year              *int
	ServiceContract   *bool
	InServiceSince    *time.Time
	Insurance         *catalog.VehicleInsurance
	CustomerID        *crm.ID
	OwnerChangeReason string
}

// Edit applies e to the car at now. It returns a crm.KindInvalid error naming every wrong field (vin, make,
// year, insurance.*, customer_id); the car is then unchanged. A VIN or year restated unchanged is not checked
// again, so a record kept from before the checks can still be edited.
func (cv *CustomerVehicle) Edit(e CustomerVehicleEdit, now time.Time) error {
	next := cv.Clone()
	var p crm.Problems
	if e.VIN != nil && *e.VIN != cv.VIN {
		next.VIN = checkVIN(&p, *e.VIN)
	}
	if e.Make != nil {
		next.Make = strings.TrimSpace(*e.Make)
		p.Require("make", next.Make)
	}
	if e.Model != nil {
		next.Model = strings.TrimSpace(*e.Model)
	}
	if e.Trim != nil {
		next.Trim = strings.TrimSpace(*e.Trim)
	}
	if e.Year != nil && *e.Year != cv.Year {
		checkModelYear(&p, *e.Year, now)
		next.Year = *e.Year
	}
	if e.ServiceContract != nil {
		next.ServiceContract = *e.ServiceContract
	}
	if e.InServiceSince != nil {
		if e.InServiceSince.IsZero() {
			p.Add("in_service_since", "is required")
		}
		next.InServiceSince = utc(*e.InServiceSince)
	}
	if e.Insurance != nil {
		ValidateInsurance(&p, "insurance.", *e.Insurance)
		in := *e.Insurance
		in.ValidFrom, in.ValidTo = utc(in.ValidFrom), utc(in.ValidTo)
		if next.Insured() && in != next.Insurance {
			next.PastInsurance = append(next.PastInsurance, next.Insurance)
		}
		next.Insurance = in
	}
	if e.CustomerID != nil && *e.CustomerID != next.CustomerID {
		if *e.CustomerID == (crm.ID{}) {
			p.Add("customer_id", "is required")
		}
		if len([]rune(e.OwnerChangeReason)) > 500 {
			p.Add("owner_change_reason", "must be at most 500 characters")
		}
		next.Owners = append(next.Owners, OwnerChange{From: next.CustomerID, To: *e.CustomerID, At: now.UTC(),
			Reason: strings.TrimSpace(e.OwnerChangeReason)})
		next.CustomerID = *e.CustomerID
	}
	if err := p.Err("aftersales.CustomerVehicle.Edit"); err != nil {
		return err
	}
	*cv = next
	return nil
}

// TakeOver makes the car the one sold in sold (a customer vehicle of a won sale, not stored yet, with the same
// VIN) at now: the buyer becomes the owner (recorded in Owners when another customer had it), the sale, the
// catalog vehicle, the identity from its card, the selling dealer, the service contract and the odometer at sale
// are the sale's, the car enters service with its new owner on the sale date, and the sale's policy renews the
// insurance. The readings, the last maintenance visit and an attached plan are kept (a plan is attached when it
// has none).
func (cv *CustomerVehicle) TakeOver(sold CustomerVehicle, now time.Time) {
	if sold.CustomerID != cv.CustomerID {
		cv.Owners = append(cv.Owners, OwnerChange{From: cv.CustomerID, To: sold.CustomerID, At: now.UTC(),
			Reason: "sold in sale " + sold.SaleID.String()})
		cv.CustomerID = sold.CustomerID
	}
	cv.VehicleID, cv.SaleID, cv.SoldAt, cv.SellingDealerID = sold.VehicleID, sold.SaleID, sold.SoldAt, sold.SellingDealerID
	cv.Make, cv.Model, cv.Trim, cv.Year = sold.Make, sold.Model, sold.Trim, sold.Year
	cv.ServiceContract, cv.OdometerAtSale, cv.InServiceSince = sold.ServiceContract, sold.OdometerAtSale, sold.InServiceSince
	if sold.OdometerAtSale >= cv.Odometer {
		cv.Odometer, cv.OdometerAt = sold.OdometerAtSale, sold.InServiceSince
	}
	if sold.Insured() && sold.Insurance != cv.Insurance {
		if cv.Insured() {
			cv.PastInsurance = append(cv.PastInsurance, cv.Insurance)
		}
		cv.Insurance = sold.Insurance
	}
	if cv.Plan.Interval.IsZero() {
		cv.Plan = sold.Plan
	}
}

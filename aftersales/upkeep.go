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
// year, insurance.*, customer_id); the car is then unchanged.
func (cv *CustomerVehicle) Edit(e CustomerVehicleEdit, now time.Time) error {
	next := cv.Clone()
	var p crm.Problems
	if e.VIN != nil {
		next.VIN = catalog.VIN(strings.ToUpper(strings.TrimSpace(string(*e.VIN))))
		p.Require("vin", string(next.VIN))
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
	if e.Year != nil {
		if *e.Year < 0 || *e.Year > 9999 {
			p.Add("year", "must be a year")
		}
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

package httpapi

import (
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// customerVehicleOut is a customer vehicle as responses show it.
type customerVehicleOut struct {
	ID              crm.ID        `json:"id"`
	Version         int64         `json:"version"`
	CustomerID      crm.ID        `json:"customer_id"`
	VehicleID       *crm.ID       `json:"vehicle_id" doc:"the catalog vehicle; null for a car bought elsewhere"`
	VIN             string        `json:"vin"`
	Make            string        `json:"make"`
	Model           string        `json:"model"`
	Trim            string        `json:"trim,omitempty"`
	Year            int           `json:"year"`
	SaleID          *crm.ID       `json:"sale_id"`
	SoldAt          *stamp        `json:"sold_at"`
	Insurer         string        `json:"insurer,omitempty"`
	Insurance       insuranceIO   `json:"insurance"`
	ServiceContract bool          `json:"service_contract"`
	SellingDealerID *crm.ID       `json:"selling_dealer_id" doc:"the dealer that sold it (this one, for a sale made here)"`
	OdometerAtSale  int           `json:"odometer_at_sale_km"`
	InServiceSince  *stamp        `json:"in_service_since" doc:"when the car entered service with its owner (the sale, or the purchase elsewhere)"`
	Odometer        int           `json:"odometer_km" doc:"the last mileage reading"`
	OdometerAt      *stamp        `json:"odometer_at" doc:"when the last reading was taken"`
	LastMaintenance *stamp        `json:"last_maintenance_at" doc:"the last completed scheduled-maintenance visit"`
	LastMaintKM     int           `json:"last_maintenance_km"`
	Plan            *planRefOut   `json:"maintenance_plan" doc:"the maintenance plan attached to the car; null when none is"`
	Owners          []ownerOut    `json:"owner_history" doc:"owner changes, oldest first"`
	PastInsurance   []insuranceIO `json:"past_insurance" doc:"policies replaced by renewals, oldest first"`
	CreatedAt       stamp         `json:"created_at"`
	UpdatedAt       stamp         `json:"updated_at"`
}

// planRefOut is the maintenance plan attached to a customer vehicle.
type planRefOut struct {
	PlanID      *crm.ID `json:"plan_id"`
	EveryKM     int     `json:"every_km"`
	EveryMonths int     `json:"every_months"`
}

// ownerOut is one change of owner.
type ownerOut struct {
	From   crm.ID `json:"from_customer_id"`
	To     crm.ID `json:"to_customer_id"`
	At     stamp  `json:"at"`
	Reason string `json:"reason,omitempty"`
}

func customerVehicleView(cv aftersales.CustomerVehicle) customerVehicleOut {
	out := customerVehicleOut{ID: cv.ID, Version: cv.Version, CustomerID: cv.CustomerID, VehicleID: idOut(cv.VehicleID),
		VIN: string(cv.VIN), Make: cv.Make, Model: cv.Model, Trim: cv.Trim, Year: cv.Year, SaleID: idOut(cv.SaleID),
		SoldAt: timeOut(cv.SoldAt), Insurer: cv.Insurance.Insurer, Insurance: insuranceView(cv.Insurance),
		ServiceContract: cv.ServiceContract, SellingDealerID: idOut(cv.SellingDealerID), OdometerAtSale: cv.OdometerAtSale,
		InServiceSince: timeOut(cv.InServiceSince), Odometer: cv.Odometer, OdometerAt: timeOut(cv.OdometerAt),
		LastMaintenance: timeOut(cv.LastMaintenanceAt), LastMaintKM: cv.LastMaintenanceKM,
		Owners: []ownerOut{}, PastInsurance: []insuranceIO{},
		CreatedAt: stampOf(cv.CreatedAt), UpdatedAt: stampOf(cv.UpdatedAt)}
	if !cv.Plan.Interval.IsZero() {
		out.Plan = &planRefOut{PlanID: idOut(cv.Plan.PlanID), EveryKM: cv.Plan.Interval.EveryKM, EveryMonths: cv.Plan.Interval.EveryMonths}
	}
	for _, o := range cv.Owners {
		out.Owners = append(out.Owners, ownerOut{From: o.From, To: o.To, At: stampOf(o.At), Reason: o.Reason})
	}
	for _, in := range cv.PastInsurance {
		out.PastInsurance = append(out.PastInsurance, insuranceView(in))
	}
	return out
}

// customerVehicleIn is the body of POST /api/v1/customer-vehicles: a car the dealer did not sell here.
type customerVehicleIn struct {
	CustomerID      string       `json:"customer_id" oa:"required" doc:"the owner, one of the dealer's customers"`
	VehicleID       string       `json:"vehicle_id,omitempty" doc:"a catalog vehicle of the dealer, if the car is one"`
	VIN             string       `json:"vin" oa:"required"`
	Make            string       `json:"make" oa:"required"`
	Model           string       `json:"model,omitempty"`
	Trim            string       `json:"trim,omitempty"`
	Year            int          `json:"year,omitempty"`
	Insurance       *insuranceIO `json:"insurance,omitempty"`
	ServiceContract bool         `json:"service_contract,omitempty"`
	InServiceSince  string       `json:"in_service_since,omitempty" format:"date-time" doc:"when the owner got the car (RFC 3339); default now"`
	Odometer        int          `json:"odometer_km,omitempty" doc:"the odometer then; recorded as the first mileage reading"`
}

// customerVehiclePatchIn is the body of PATCH /api/v1/customer-vehicles/{id} (a JSON merge patch of it): a new
// customer_id changes the owner (kept in owner_history, with owner_change_reason); a new insurance is a renewal
// (the old policy moves to past_insurance). Mileage changes through POST .../mileage only.
type customerVehiclePatchIn struct {
	CustomerID        string       `json:"customer_id"`
	VIN               string       `json:"vin"`
	Make              string       `json:"make"`
	Model             string       `json:"model"`
	Trim              string       `json:"trim"`
	Year              int          `json:"year"`
	Insurance         *insuranceIO `json:"insurance"`
	ServiceContract   bool         `json:"service_contract"`
	InServiceSince    string       `json:"in_service_since" format:"date-time"`
	OwnerChangeReason string       `json:"owner_change_reason,omitempty" doc:"why the owner changed (with a new customer_id)"`
}

func customerVehiclePatchOf(cv aftersales.CustomerVehicle) customerVehiclePatchIn {
	in := insuranceView(cv.Insurance)
	out := customerVehiclePatchIn{CustomerID: cv.CustomerID.String(), VIN: string(cv.VIN), Make: cv.Make, Model: cv.Model,
		Trim: cv.Trim, Year: cv.Year, ServiceContract: cv.ServiceContract, Insurance: &in}
	if !cv.InServiceSince.IsZero() {
		out.InServiceSince = stampOf(cv.InServiceSince).String()
	}
	return out
}

// edit turns the merged body into the service's edit.
func (in customerVehiclePatchIn) edit(p *crm.Problems) aftersales.CustomerVehicleEdit {
	vin := catalog.VIN(in.VIN)
	ins := in.Insurance.insurance(p, "insurance.")
	e := aftersales.CustomerVehicleEdit{VIN: &vin, Make: &in.Make, Model: &in.Model, Trim: &in.Trim, Year: &in.Year,
		ServiceContract: &in.ServiceContract, Insurance: &ins, OwnerChangeReason: in.OwnerChangeReason}
	owner := requireID(p, "customer_id", in.CustomerID)
	e.CustomerID = &owner
	if since := parseTime(p, "in_service_since", in.InServiceSince); !since.IsZero() {
		e.InServiceSince = &since
	}
	return e
}

// mileageIn is the body of POST /api/v1/customer-vehicles/{id}/mileage.
type mileageIn struct {
	KM               *int   `json:"km" oa:"required" doc:"the odometer, km"`
	At               string `json:"at,omitempty" format:"date-time" doc:"when it was read (RFC 3339); default now"`
	CorrectionReason string `json:"correction_reason,omitempty" doc:"required for a reading below the last one: why it corrects it"`
}

// mileageOut is one mileage reading.
type mileageOut struct {
	ID                crm.ID `json:"id"`
	CustomerVehicleID crm.ID `json:"customer_vehicle_id"`
	KM                int    `json:"km"`
	At                stamp  `json:"at"`
	Source            string `json:"source" enum:"MileageSource"`
	CorrectionReason  string `json:"correction_reason,omitempty"`
	CreatedAt         stamp  `json:"created_at"`
}

func mileageView(r aftersales.MileageReading) mileageOut {
	return mileageOut{ID: r.ID, CustomerVehicleID: r.CustomerVehicleID, KM: r.KM, At: stampOf(r.At), Source: string(r.Source),
		CorrectionReason: r.CorrectionReason, CreatedAt: stampOf(r.CreatedAt)}
}

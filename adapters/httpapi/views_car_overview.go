package httpapi

import (
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
)

// carOverviewOut answers GET /api/v1/customer-vehicles/{id}/overview: one view of the car, read in one snapshot.
type carOverviewOut struct {
	Car         customerVehicleOut `json:"customer_vehicle"`
	Today       string             `json:"today" format:"date" doc:"the workshop's date the statuses and due dates are judged on"`
	Sales       []carSaleOut       `json:"sales" doc:"the dealer's won sales of a car with this VIN, oldest first; empty for a car bought elsewhere"`
	Visits      []appointmentOut   `json:"service_visits" doc:"the car's service appointments of every status, with their works, by start"`
	LastVisit   *appointmentOut    `json:"last_visit" doc:"the last completed visit; null before one"`
	Warranties  []warrantyOut      `json:"warranties" doc:"manufacturer first, each with its status today"`
	Maintenance maintenanceOut     `json:"maintenance" doc:"the plan followed, the next due date and km, due and overdue"`
	Readings    []mileageOut       `json:"mileage_readings" doc:"by the time they were taken"`
}

// carSaleOut is a won sale of the car.
type carSaleOut struct {
	SaleID        crm.ID    `json:"sale_id"`
	VehicleID     crm.ID    `json:"vehicle_id" doc:"the catalog vehicle sold"`
	CustomerID    crm.ID    `json:"customer_id" doc:"the buyer"`
	OwnerID       *crm.ID   `json:"owner_id" doc:"the sales manager"`
	Amount        crm.Money `json:"amount"`
	PaymentMethod string    `json:"payment_method,omitempty" enum:"PaymentMethod"`
	WonAt         stamp     `json:"won_at"`
}

func carOverviewView(o aftersales.CarOverview) carOverviewOut {
	out := carOverviewOut{Car: customerVehicleView(o.Car), Today: o.Today.Format(time.DateOnly), Sales: []carSaleOut{},
		Visits: mapList(o.Visits, appointmentView), Warranties: []warrantyOut{}, Maintenance: maintenanceView(o.Maintenance),
		Readings: mapList(o.Readings, mileageView)}
	for _, s := range o.Sales {
		out.Sales = append(out.Sales, carSaleOut{SaleID: s.SaleID, VehicleID: s.VehicleID, CustomerID: s.CustomerID,
			OwnerID: idOut(s.OwnerID), Amount: s.Amount, PaymentMethod: s.PaymentMethod, WonAt: stampOf(s.WonAt)})
	}
	for _, w := range o.Warranties {
		v := warrantyView(o.Today)(w.Warranty)
		v.Status = string(w.Status)
		out.Warranties = append(out.Warranties, v)
	}
	if o.LastVisit.ID != (crm.ID{}) {
		v := appointmentView(o.LastVisit)
		out.LastVisit = &v
	}
	return out
}

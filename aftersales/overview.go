package aftersales

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// CarSale is a won sale of a car as the service side sees it: who bought it, when, for how much and how it was
// paid. It is read from the sales records through CarSaleStore (aftersales cannot import sales).
type CarSale struct {
	SaleID        crm.ID
	VehicleID     crm.ID // the catalog vehicle sold
	CustomerID    crm.ID // the buyer
	OwnerID       crm.ID // the sales manager; zero when none
	Amount        crm.Money
	PaymentMethod string
	WonAt         time.Time
}

// WarrantyState is a warranty with its status on a day.
type WarrantyState struct {
	Warranty Warranty
	Status   WarrantyStatus
}

// CarOverview is one view of a customer vehicle (Автомобиль клиента) read in one consistent snapshot: the car,
// the won sales of its VIN, its service visits, its warranties with their status today, its scheduled
// maintenance and its mileage readings.
type CarOverview struct {
	Car CustomerVehicle
	// Today is the civil date (midnight UTC) in the workshop's time zone on which statuses and due dates are judged.
	Today time.Time
	// Sales are the dealer's won sales of a car with this VIN, oldest first; empty for a car bought elsewhere.
	Sales []CarSale
	// Visits are the car's service appointments of every status, by start.
	Visits []Appointment
	// Warranties are the car's warranties, manufacturer first, each with its status today.
	Warranties []WarrantyState
	// Maintenance is the plan the car follows and when the next visit is due (zero Due without a plan).
	Maintenance CarMaintenance
	// LastVisit is the last completed visit (of any kind), zero before one.
	LastVisit Appointment
	// Readings are the car's mileage readings by the time they were taken.
	Readings []MileageReading
}

// overviewOf assembles the overview from what the stores returned; it holds no rule of its own beyond naming the
// last completed visit and each warranty's status on today.
func overviewOf(cv CustomerVehicle, today time.Time, sales []CarSale, visits []Appointment, ws []Warranty,
	m CarMaintenance, rs []MileageReading) CarOverview {
	out := CarOverview{Car: cv, Today: today, Sales: sales, Visits: visits, Maintenance: m, Readings: rs,
		Warranties: make([]WarrantyState, 0, len(ws))}
	for _, w := range ws {
		out.Warranties = append(out.Warranties, WarrantyState{Warranty: w, Status: w.StatusOn(today)})
	}
	for _, a := range visits {
		if a.Status == AppointmentDone && (out.LastVisit.ID == (crm.ID{}) || !a.Start.Before(out.LastVisit.Start)) {
			out.LastVisit = a
		}
	}
	return out
}

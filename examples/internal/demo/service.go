package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// handCars are the cars bought elsewhere each demo dealer services: the stock model (index in models), its
// owner, how many months ago the owner got it and the odometer then, and the km per month since.
var handCars = []struct {
	model        int
	first, last  string
	phone        string
	monthsAgo    int
	kmThen, kmPM int
}{
	{10, "Олег", "Рябов", "+7916%07d", 40, 41000, 1500}, // Kia Rio, 40 months: the maker's 36-month warranty has ended
	{12, "Вера", "Новикова", "+7925%07d", 14, 52000, 1200},
	{14, "Антон", "Белов", "+7903%07d", 11, 64000, 1400},
	{11, "Ирина", "Гусева", "+7977%07d", 5, 18000, 1300},
}

// ownerConsents are the consents the owner of hand car i gave on the service desk's paper form when the car was
// first serviced (at): SMS for service and marketing (the owners have no e-mail), except the last, who allowed
// service messages only — so a maintenance or warranty campaign skips one owner "no consent on email, sms".
func ownerConsents(i int, at time.Time) crm.Consents {
	cs := crm.Consents{{Channel: crm.ConsentSMS, Purpose: crm.PurposeService, Granted: true, At: at, Source: crm.ConsentFromForm}}
	if i < len(handCars)-1 {
		cs = append(cs, crm.Consent{Channel: crm.ConsentSMS, Purpose: crm.PurposeMarketing, Granted: true, At: at,
			Source: crm.ConsentFromForm})
	}
	return cs
}

// serviceWorks are the labour operations the demo workshops book.
var serviceWorks = []catalog.Labour{
	{Code: "TO-PLAN", Name: "Плановое ТО", LabourHours: decimal.RequireFromString("2"), Price: crm.MustMoney("6500.00", "RUB")},
	{Code: "DIAG", Name: "Компьютерная диагностика", LabourHours: decimal.RequireFromString("1"), Price: crm.MustMoney("2500.00", "RUB")},
}

// seedService fills the dealer's service side: cars bought elsewhere with their mileage readings (and a reading
// of each car sold here), a maintenance plan and manufacturer warranty terms for every model the customers' cars
// are (the directory's where it has them), a manufacturer warranty on each car, and a week of service
// appointments from tomorrow in bays 1, 2 and 3, with the service advisor. It runs after the sales, so the cars
// won here are among them.
func (s *seeder) seedService() error {
	advisor := s.out.Users[2]
	ctx := crm.WithActor(crm.WithDealer(s.ctx, s.out.ID), advisor.ID)
	now := s.st.Clock.Now()
	for i, h := range handCars {
		m := models[h.model]
		since := now.AddDate(0, -h.monthsAgo, 0)
		c, err := s.st.Customers.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{Kind: crm.Person, FirstName: h.first, LastName: h.last,
			Phones: []string{fmt.Sprintf(h.phone, 1000000*(s.dealerN+1)+i)}, Consents: ownerConsents(i, since)}})
		if err != nil {
			return fmt.Errorf("owner %s %s: %w", h.first, h.last, err)
		}
		cv, err := s.st.Aftersales.CreateCustomerVehicle(ctx, aftersales.CustomerVehicle{CustomerID: c.ID,
			VIN: catalog.VIN(vin(s.rng, m)), Make: m.make, Model: m.model, Trim: m.trim, Year: m.year,
			InServiceSince: since, OdometerAtSale: h.kmThen})
		if err != nil {
			return fmt.Errorf("car of %s: %w", h.last, err)
		}
		for _, back := range []int{h.monthsAgo / 2, 1} { // two readings since: half-way and a month ago
			if back <= 0 || back >= h.monthsAgo {
				continue
			}
			km := h.kmThen + (h.monthsAgo-back)*h.kmPM
			if cv, _, err = s.st.Aftersales.RecordMileage(ctx, cv.ID, cv.Version, aftersales.MileageReading{KM: km,
				At: now.AddDate(0, -back, 0)}); err != nil {
				return fmt.Errorf("reading of %s: %w", h.last, err)
			}
		}
		s.out.CustomerVehicles = append(s.out.CustomerVehicles, cv)
	}
	for k, cv := range s.out.CustomerVehicles {
		if cv.SaleID == (crm.ID{}) { // a car sold here: read at the hand-over
			continue
		}
		updated, _, err := s.st.Aftersales.RecordMileage(ctx, cv.ID, cv.Version, aftersales.MileageReading{KM: cv.Odometer + 5})
		if err != nil {
			return err
		}
		s.out.CustomerVehicles[k] = updated
	}
	if err := s.plansAndWarranties(ctx); err != nil {
		return err
	}
	return s.serviceWeek(ctx, advisor.ID)
}

// plansAndWarranties gives every model of the customers' cars a maintenance plan and warranty terms (adding the
// make and model to the directory when it lacks them) and every car a manufacturer warranty from the day it
// entered service.
func (s *seeder) plansAndWarranties(ctx context.Context) error {
	svc := s.st.Catalog
	for _, cv := range s.out.CustomerVehicles {
		model, err := s.directoryModel(ctx, cv.Make, cv.Model)
		if err != nil {
			return err
		}
		if _, err := svc.FindMaintenancePlan(ctx, cv.Make, cv.Model, cv.Year); errors.Is(err, crm.ErrNotFound) {
			_, err = svc.CreateMaintenancePlan(ctx, catalog.MaintenancePlan{ModelID: model.ID,
				Name: "Регламент ТО " + cv.Make + " " + cv.Model, IntervalKm: 15000, IntervalMonths: 12,
				Visits: []catalog.MaintenanceVisit{{Name: "ТО", Works: []catalog.MaintenanceWork{
					{Name: "Замена моторного масла", Quantity: decimal.NewFromInt(1)},
					{Name: "Замена масляного фильтра", Quantity: decimal.NewFromInt(1)}}}}})
			if err != nil {
				return fmt.Errorf("plan of %s %s: %w", cv.Make, cv.Model, err)
			}
		} else if err != nil {
			return err
		}
		terms, err := svc.FindWarrantyTerms(ctx, cv.Make, cv.Model, cv.Year)
		if errors.Is(err, crm.ErrNotFound) {
			terms, err = svc.CreateWarrantyTerms(ctx, catalog.WarrantyTerms{ModelID: model.ID, Months: 36, KmLimit: 100000,
				CoveredSystems: []string{"Двигатель", "Коробка передач", "Электрооборудование"}})
		}
		if err != nil {
			return fmt.Errorf("warranty terms of %s %s: %w", cv.Make, cv.Model, err)
		}
		ws, err := s.st.Aftersales.ListWarranties(ctx, cv.ID)
		if err != nil {
			return err
		}
		if len(ws) == 0 { // a car won before the directory was seeded, or bought elsewhere
			start := aftersales.Date(cv.InServiceSince)
			if _, err := s.st.Aftersales.AddWarranty(ctx, cv.ID, aftersales.Warranty{Kind: aftersales.WarrantyManufacturer,
				Start: start, End: terms.Expires(start), KmLimit: terms.KmLimit, Systems: terms.CoveredSystems,
				Provider: cv.Make, TermsID: terms.ID}); err != nil {
				return fmt.Errorf("warranty of %s %s: %w", cv.Make, cv.Model, err)
			}
		}
	}
	return nil
}

// directoryModel returns the directory's model of make and model, creating the make and the model when missing.
func (s *seeder) directoryModel(ctx context.Context, makeName, modelName string) (catalog.Model, error) {
	svc := s.st.Catalog
	makes, err := svc.ListMakes(ctx)
	if err != nil {
		return catalog.Model{}, err
	}
	var mk catalog.Make
	for _, m := range makes {
		if m.Name == makeName {
			mk = m
		}
	}
	if mk.ID == (crm.ID{}) {
		if mk, err = svc.CreateMake(ctx, catalog.Make{Name: makeName}); err != nil {
			return catalog.Model{}, err
		}
	}
	ms, err := svc.ListModels(ctx, mk.ID)
	if err != nil {
		return catalog.Model{}, err
	}
	for _, m := range ms {
		if m.Name == modelName {
			return m, nil
		}
	}
	return svc.CreateModel(ctx, catalog.Model{MakeID: mk.ID, Name: modelName})
}

// serviceWeek books the coming week: every day from tomorrow, in each of bays 1, 2 and 3, a maintenance visit at
// 10:00 and a diagnosis at 15:00 (the workshop's time), the cars taken in turn, with the service advisor.
func (s *seeder) serviceWeek(ctx context.Context, advisor crm.ID) error {
	var works []crm.ID
	for _, l := range serviceWorks {
		nl, err := s.st.Catalog.CreateLabour(ctx, l)
		if err != nil {
			return err
		}
		works = append(works, nl.ID)
	}
	w, err := s.st.Aftersales.GetWorkshop(ctx)
	if err != nil {
		return err
	}
	loc, err := w.Location()
	if err != nil {
		return err
	}
	today := s.st.Clock.Now().In(loc)
	cars := s.out.CustomerVehicles
	n := 0
	for day := 1; day <= 7; day++ {
		d := today.AddDate(0, 0, day)
		for _, bay := range []string{"1", "2", "3"} {
			for k, hour := range []int{10, 15} {
				start := time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, loc)
				a, err := s.st.Aftersales.BookAppointment(ctx, aftersales.AppointmentBooking{CustomerVehicleID: cars[n%len(cars)].ID,
					Bay: bay, Start: start, End: start.Add(2 * time.Hour), AdvisorID: advisor, Maintenance: k == 0,
					Works: []aftersales.WorkRequest{{LabourID: works[k]}}})
				if err != nil {
					return fmt.Errorf("appointment in bay %s on %s: %w", bay, start.Format(time.DateTime), err)
				}
				s.out.Appointments = append(s.out.Appointments, a)
				n++
			}
		}
	}
	return nil
}

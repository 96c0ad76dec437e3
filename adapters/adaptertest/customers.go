package adaptertest

import (
	"github.com/dealercrm/dealercrm/aftersales"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCustomers(t *testing.T, open Open) {
	t.Run("CreateUpdateFind", func(t *testing.T) { customersCreateUpdateFind(t, open) })
	t.Run("MergeMovesEverything", func(t *testing.T) { customersMergeMovesEverything(t, open) })
	t.Run("MergeRefusalChangesNothing", func(t *testing.T) { customersMergeRefusalChangesNothing(t, open) })
	t.Run("DealerIsolation", func(t *testing.T) { customersDealerIsolation(t, open) })
}

func customerService(e *salesEnv) *customers.Service {
	return customers.NewService(crm.NewUnit[customers.Stores](e.b, e.clock))
}

func customersCreateUpdateFind(t *testing.T, open Open) {
	e := salesEnvOf(t, open(t), "Север")
	svc := customerService(e)
	c, err := svc.CreateCustomer(e.ctx, crm.Customer{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
		Phones: []string{"8 (900) 123-45-67"}, Emails: []string{" Ivan@Example.ORG "}}})
	require.NoError(t, err)
	assert.EqualValues(t, 1, c.Version)
	assert.Equal(t, []string{"+79001234567"}, c.Phones)
	assert.Equal(t, []string{"ivan@example.org"}, c.Emails)

	_, err = svc.CreateCustomer(e.ctx, crm.Customer{Contact: crm.Contact{FirstName: "Без связи"}})
	kindIs(t, err, crm.ErrInvalid)
	assert.True(t, hasField(err, "phone"), "%v", err)

	for _, q := range [][2]string{{"+7 900 123 45 67", ""}, {"", "IVAN@example.org"}, {"89001234567", "nobody@example.org"}} {
		found, err := svc.FindCustomers(e.ctx, q[0], q[1])
		require.NoError(t, err)
		require.Len(t, found, 1, "%q", q)
		assert.Equal(t, c, found[0])
	}
	found, err := svc.FindCustomers(e.ctx, "not a phone", "")
	require.NoError(t, err)
	assert.Empty(t, found)

	edit := c
	edit.LastName, edit.Address = "Петров-Водкин", crm.Address{City: "Казань"}
	up, err := svc.UpdateCustomer(e.ctx, c.ID, c.Version, edit)
	require.NoError(t, err)
	assert.EqualValues(t, 2, up.Version)
	assert.Equal(t, "Казань", up.Address.City)
	assert.Equal(t, c.CreatedAt, up.CreatedAt)

	_, err = svc.UpdateCustomer(e.ctx, c.ID, c.Version, edit)
	kindIs(t, err, crm.ErrStaleVersion)
	bad := up
	bad.Phones, bad.Emails = nil, nil
	_, err = svc.UpdateCustomer(e.ctx, c.ID, 0, bad)
	kindIs(t, err, crm.ErrInvalid)
	got, err := svc.GetCustomer(e.ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, up, got, "refused updates changed nothing")

	edit.LastName = "Сидоров"
	up, err = svc.UpdateCustomer(e.ctx, c.ID, 0, edit)
	require.NoError(t, err, "0 is unconditional")
	assert.EqualValues(t, 3, up.Version)

	all, err := svc.ListCustomers(e.ctx, crm.ID{}, 10)
	require.NoError(t, err)
	assert.Len(t, all, 1)
}

// customersMergeMovesEverything: a merge moves the duplicate's leads, test drives, sales, customer vehicles, credit
// applications and reservation holders to the kept customer, adds its contact and deletes it, in one unit of work.
func customersMergeMovesEverything(t *testing.T, open Open) {
	e := salesEnvOf(t, open(t), "Север")
	svc := customerService(e)
	keep := e.customer("Иван")
	dup := e.customer("Ваня")
	dup.Emails = []string{"vanya@example.org"}
	dup.Address = crm.Address{City: "Тверь"}
	dup, err := svc.UpdateCustomer(e.ctx, dup.ID, 0, dup)
	require.NoError(t, err)

	// A lead that came in with the duplicate's name and phone is linked to it; its test drive holds a car for it.
	lead, err := e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Ваня", LastName: dup.LastName, Phones: dup.Phones},
		Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	require.Equal(t, dup.ID, lead.CustomerID)
	driven := e.vehicle("Vesta", "1500000")
	drive, err := e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: driven.ID,
		Start: Epoch.Add(3 * time.Hour)})
	require.NoError(t, err)
	require.Equal(t, dup.ID, drive.CustomerID)
	// An open sale holds a car for it; a won sale gave it a customer vehicle.
	held := e.vehicle("Granta", "900000")
	open1, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: dup.ID, VehicleID: held.ID})
	require.NoError(t, err)
	sold := e.vehicle("Niva", "1100000")
	won, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: dup.ID, VehicleID: sold.ID})
	require.NoError(t, err)
	_, cv, err := e.svc.WinSale(e.ctx, won.ID, won.Version, sales.WinInput{})
	require.NoError(t, err)
	require.Equal(t, dup.ID, cv.CustomerID)
	other := e.customer("Другой")
	// The open sale's credit application names the duplicate too (and the database holds it to the customer).
	cr := credit.NewService(crm.NewUnit[credit.Stores](e.b, e.clock), e.clock)
	prog, err := cr.CreateProgram(e.ctx, creditProgramInput("Стандарт"))
	require.NoError(t, err)
	app, err := cr.CreateApplication(e.ctx, credit.ApplicationInput{SaleID: open1.ID, ProgramID: prog.ID,
		DownPayment: crm.MustMoney("200000", "RUB"), Amount: crm.MustMoney("700000", "RUB"), TermMonths: 36})
	require.NoError(t, err)
	require.Equal(t, dup.ID, app.CustomerID)

	// A car bought elsewhere has a visit done and one booked, both for the duplicate.
	hand, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: dup.ID, VIN: "WVWZZZ1KZ8W000777",
		Make: "Volkswagen", Model: "Golf", Year: 2008})
	require.NoError(t, err)
	var visits []aftersales.Appointment
	for i, car := range []crm.ID{hand.ID, cv.ID} {
		a, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car, Bay: "1",
			Start: msk(24+10+i, 0), End: msk(24+11+i, 0)})
		require.NoError(t, err)
		require.Equal(t, dup.ID, a.CustomerID)
		visits = append(visits, a)
	}
	visits[0], err = e.after.MoveAppointment(e.ctx, visits[0].ID, 0, "cancel", aftersales.StepInput{Reason: "перенос"})
	require.NoError(t, err)

	merged, moved, err := svc.MergeCustomers(e.ctx, customers.Merge{KeepID: keep.ID, KeepVersion: keep.Version,
		DuplicateID: dup.ID, DuplicateVersion: dup.Version})
	require.NoError(t, err)
	assert.Equal(t, customers.Moved{Leads: 1, TestDrives: 1, Sales: 2, CustomerVehicles: 2, Reservations: 2, CreditApplications: 1,
		Appointments: 2}, moved)
	for _, v := range visits {
		a, err := e.after.GetAppointment(e.ctx, v.ID)
		require.NoError(t, err)
		assert.Equal(t, keep.ID, a.CustomerID, "appointment %s (%s) follows to the kept customer", a.ID, a.Status)
		assert.Equal(t, v.Status, a.Status)
	}
	app, err = cr.GetApplication(e.ctx, app.ID)
	require.NoError(t, err)
	assert.Equal(t, keep.ID, app.CustomerID, "the credit application follows its sale to the kept customer")
	assert.Equal(t, append(append([]string(nil), keep.Phones...), dup.Phones...), merged.Phones)
	assert.Equal(t, []string{"vanya@example.org"}, merged.Emails)
	assert.Equal(t, "Тверь", merged.Address.City)
	assert.Equal(t, keep.FirstName, merged.FirstName)
	assert.Equal(t, keep.Version+1, merged.Version)

	_, err = svc.GetCustomer(e.ctx, dup.ID)
	kindIs(t, err, crm.ErrNotFound)
	got, err := e.leads.GetLead(e.ctx, lead.ID)
	require.NoError(t, err)
	assert.Equal(t, keep.ID, got.CustomerID)
	assert.NotContains(t, got.DuplicateCustomerIDs, dup.ID)
	d, err := e.leads.GetTestDrive(e.ctx, drive.ID)
	require.NoError(t, err)
	assert.Equal(t, keep.ID, d.CustomerID)
	for _, id := range []crm.ID{open1.ID, won.ID} {
		s, err := e.svc.GetSale(e.ctx, id)
		require.NoError(t, err)
		assert.Equal(t, keep.ID, s.CustomerID)
	}
	cvs, err := e.after.ListCustomerVehiclesByCustomer(e.ctx, keep.ID)
	require.NoError(t, err)
	require.Len(t, cvs, 2)
	assert.ElementsMatch(t, []crm.ID{cv.ID, hand.ID}, []crm.ID{cvs[0].ID, cvs[1].ID})
	for _, v := range []catalog.Vehicle{e.getVehicle(driven.ID), e.getVehicle(held.ID)} {
		require.NotEmpty(t, v.Reservations)
		for _, r := range v.Reservations {
			assert.NotEqual(t, dup.ID, r.Holder.CustomerID, "vehicle %s", v.ID)
		}
	}
	found, err := svc.FindCustomers(e.ctx, dup.Phones[0], "")
	require.NoError(t, err)
	require.Len(t, found, 1, "the duplicate's phone finds the kept customer")
	assert.Equal(t, keep.ID, found[0].ID)
	o, err := svc.GetCustomer(e.ctx, other.ID)
	require.NoError(t, err)
	assert.Equal(t, other.Version, o.Version, "other customers untouched")
}

// customersMergeRefusalChangesNothing: stale versions, a missing duplicate and a self-merge are refused and
// nothing moves.
func customersMergeRefusalChangesNothing(t *testing.T, open Open) {
	e := salesEnvOf(t, open(t), "Север")
	svc := customerService(e)
	keep, dup := e.customer("Иван"), e.customer("Ваня")
	sale, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: dup.ID, VehicleID: e.vehicle("Vesta", "1500000").ID})
	require.NoError(t, err)
	for name, m := range map[string]customers.Merge{
		"stale keep":      {KeepID: keep.ID, KeepVersion: keep.Version + 1, DuplicateID: dup.ID},
		"stale duplicate": {KeepID: keep.ID, DuplicateID: dup.ID, DuplicateVersion: dup.Version + 1},
		"missing":         {KeepID: keep.ID, DuplicateID: crm.NewID()},
		"self":            {KeepID: keep.ID, DuplicateID: keep.ID},
	} {
		_, _, err := svc.MergeCustomers(e.ctx, m)
		require.Error(t, err, name)
		switch name {
		case "missing":
			kindIs(t, err, crm.ErrNotFound)
		case "self":
			kindIs(t, err, crm.ErrInvalid)
			assert.True(t, hasField(err, "duplicate_id"), "%v", err)
		default:
			kindIs(t, err, crm.ErrStaleVersion)
		}
	}
	for _, c := range []crm.Customer{keep, dup} {
		got, err := svc.GetCustomer(e.ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c.Version, got.Version)
	}
	s, err := e.svc.GetSale(e.ctx, sale.ID)
	require.NoError(t, err)
	assert.Equal(t, dup.ID, s.CustomerID)
	assert.Equal(t, sale.Version, s.Version)
}

func customersDealerIsolation(t *testing.T, open Open) {
	b := open(t)
	a, o := salesEnvOf(t, b, "A"), salesEnvOf(t, b, "B")
	svcA, svcB := customerService(a), customerService(o)
	ca := a.customer("Иван")
	cb := o.customer("Пётр")
	_, err := svcB.GetCustomer(o.ctx, ca.ID)
	kindIs(t, err, crm.ErrNotFound)
	_, err = svcB.UpdateCustomer(o.ctx, ca.ID, 0, ca)
	kindIs(t, err, crm.ErrNotFound)
	_, _, err = svcB.MergeCustomers(o.ctx, customers.Merge{KeepID: cb.ID, DuplicateID: ca.ID})
	kindIs(t, err, crm.ErrNotFound)
	found, err := svcB.FindCustomers(o.ctx, ca.Phones[0], "")
	require.NoError(t, err)
	assert.Empty(t, found)
	got, err := svcA.GetCustomer(a.ctx, ca.ID)
	require.NoError(t, err)
	assert.Equal(t, ca.Version, got.Version)
}

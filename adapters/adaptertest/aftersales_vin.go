package adaptertest

import (
	"errors"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aftersalesVINAndModelYear: a car bought elsewhere has a VIN of the ISO form (17 characters, no I, O or Q; the
// check digit is not required: a European VIN passes) and a model year from catalog.FirstModelYear to two years
// ahead; each wrong field is named.
func aftersalesVINAndModelYear(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	owner := e.customer("Пётр").ID
	car := func(vin string, year int) error {
		_, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: owner, VIN: catalog.VIN(vin),
			Make: "Skoda", Model: "Octavia", Year: year})
		return err
	}
	last := e.clock.Now().Year() + 2
	for _, tc := range []struct {
		name, vin string
		year      int
		field     string
	}{
		{"16 characters", "TMBJJ7NE1L000001", 2020, "vin"},
		{"18 characters", "TMBJJ7NE1L00000001", 2020, "vin"},
		{"the letter O", "TMBJJ7NE1LO000001", 2020, "vin"},
		{"the letter I", "TMBJJ7NE1LI000001", 2020, "vin"},
		{"the letter Q", "TMBJJ7NE1LQ000001", 2020, "vin"},
		{"blank", "  ", 2020, "vin"},
		{"a year before the first car", "TMBJJ7NE1L0000001", catalog.FirstModelYear - 1, "year"},
		{"three years ahead", "TMBJJ7NE1L0000002", last + 1, "year"},
		{"no year", "TMBJJ7NE1L0000003", 0, "year"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := car(tc.vin, tc.year)
			kindIs(t, err, crm.ErrInvalid)
			var got []string
			for _, f := range crm.FieldsOf(err) {
				got = append(got, f.Field)
			}
			assert.Equal(t, []string{tc.field}, got)
		})
	}
	require.NoError(t, car(" tmbjj7ne1l0000004 ", catalog.FirstModelYear), "lower case is normalised; the first model year is allowed")
	require.NoError(t, car("TMBJJ7NE1L0000005", last), "two years ahead is allowed")
	got, err := e.after.ListCustomerVehiclesByCustomer(e.ctx, owner)
	require.NoError(t, err)
	require.Len(t, got, 2, "the refused cars left nothing")
	if got[0].VIN != "TMBJJ7NE1L0000004" {
		got[0], got[1] = got[1], got[0]
	}
	assert.Equal(t, catalog.VIN("TMBJJ7NE1L0000004"), got[0].VIN, "stored normalised")
	_, err = e.after.EditCustomerVehicle(e.ctx, got[0].ID, 0, aftersales.CustomerVehicleEdit{VIN: ptr(catalog.VIN("TMBJJ7NE1L000000")),
		Year: ptr(last + 1)})
	for _, f := range []string{"vin", "year"} {
		assert.True(t, hasField(err, f), "%s in %v", f, err)
	}
}

// aftersalesOneCarPerVIN: a dealer keeps one customer vehicle per VIN — a second by hand, or an edit to another
// car's VIN, is a duplicate (409 duplicate naming vin); of 20 racing records of one VIN exactly one is stored;
// another dealer may know the same car.
func aftersalesOneCarPerVIN(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	first := e.handCar(1000)
	second := e.handCar(2000)
	_, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: e.customer("Другой").ID,
		VIN: catalog.VIN(" " + string(first.VIN)), Make: "Kia", Model: "Rio", Year: 2021})
	kindIs(t, err, aftersales.ErrVINTaken)
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err))
	assert.True(t, hasField(err, "vin"), "%v", err)
	_, err = e.after.EditCustomerVehicle(e.ctx, second.ID, 0, aftersales.CustomerVehicleEdit{VIN: &first.VIN})
	kindIs(t, err, aftersales.ErrVINTaken)
	assert.True(t, hasField(err, "vin"), "%v", err)
	same, err := e.after.EditCustomerVehicle(e.ctx, first.ID, 0, aftersales.CustomerVehicleEdit{VIN: &first.VIN})
	require.NoError(t, err, "restating its own VIN")
	moved := catalog.VIN("Z94CB41AAGR999999")
	_, err = e.after.EditCustomerVehicle(e.ctx, first.ID, same.Version, aftersales.CustomerVehicleEdit{VIN: &moved})
	require.NoError(t, err, "a corrected VIN")
	_, err = e.after.EditCustomerVehicle(e.ctx, second.ID, 0, aftersales.CustomerVehicleEdit{VIN: &first.VIN})
	require.NoError(t, err, "the old VIN is free again")

	owner := e.customer("Гонка").ID
	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored, dup := 0, 0
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: owner, VIN: "WBA8E9C50GK000001",
				Make: "BMW", Model: "320i", Year: 2016})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				stored++
			case errors.Is(err, crm.ErrConflict) && crm.CodeOf(err) == crm.CodeDuplicate:
				dup++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, stored)
	assert.Equal(t, n-1, dup)

	other := salesEnvOf(t, e.b, "Юг")
	_, err = other.after.CreateCustomerVehicle(other.ctx, aftersales.CustomerVehicle{CustomerID: other.customer("Юг").ID,
		VIN: "WBA8E9C50GK000001", Make: "BMW", Model: "320i", Year: 2016})
	require.NoError(t, err, "another dealer may know the same car")
}

// aftersalesWonSaleTakesOver: a car the dealer knows by its VIN (recorded by hand for its previous owner), sold
// again, is not recorded twice: its record passes to the buyer with the owner change, keeps its readings and
// gains the sale.
func aftersalesWonSaleTakesOver(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1200000")
	seller := e.customer("Прежний")
	known, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: seller.ID, VIN: v.VIN,
		Make: v.Make, Model: v.Model, Year: v.Year, OdometerAtSale: 10, InServiceSince: Epoch.AddDate(0, -3, 0),
		Insurance: catalog.VehicleInsurance{Insurer: "РЕСО", PolicyNumber: "ААА 1"}})
	require.NoError(t, err)
	buyer := e.customer("Покупатель")
	sale, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: buyer.ID, VehicleID: v.ID})
	require.NoError(t, err)
	_, cv, err := e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{Insurer: "Согаз", PolicyNumber: "ХХХ 2"})
	require.NoError(t, err)
	assert.Equal(t, known.ID, cv.ID, "the known record is taken over")
	assert.Equal(t, buyer.ID, cv.CustomerID)
	assert.Equal(t, sale.ID, cv.SaleID)
	assert.Equal(t, v.ID, cv.VehicleID)
	require.Len(t, cv.Owners, 1)
	assert.Equal(t, seller.ID, cv.Owners[0].From)
	assert.Equal(t, buyer.ID, cv.Owners[0].To)
	assert.Equal(t, "Согаз", cv.Insurance.Insurer)
	require.Len(t, cv.PastInsurance, 1)
	assert.Equal(t, "РЕСО", cv.PastInsurance[0].Insurer)
	found, err := e.after.ListCustomerVehiclesByVehicle(e.ctx, v.ID)
	require.NoError(t, err)
	assert.Len(t, found, 1)
	rs, err := e.after.ListMileageReadings(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Len(t, rs, 1, "the readings stay with the car")
	prev, err := e.after.ListCustomerVehiclesByCustomer(e.ctx, seller.ID)
	require.NoError(t, err)
	assert.Empty(t, prev)
}

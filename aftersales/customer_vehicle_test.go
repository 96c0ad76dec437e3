package aftersales_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewCustomerVehicle(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.FixedZone("MSK", 3*3600))
	dealer := crm.NewID()
	ok := aftersales.CustomerVehicle{CustomerID: crm.NewID(), VehicleID: crm.NewID(), VIN: "XTAGFK330LY123456", Make: "Lada",
		Model: "Vesta", Year: 2026, SaleID: crm.NewID(), SoldAt: now, OdometerAtSale: 15,
		Insurance: catalog.VehicleInsurance{Insurer: "Ингосстрах", PolicyNumber: "ХХХ 1", ValidFrom: now, ValidTo: now.AddDate(1, 0, 0)}}
	cv, err := aftersales.NewCustomerVehicle(dealer, ok, now)
	require.NoError(t, err)
	assert.Equal(t, dealer, cv.DealerID)
	assert.Equal(t, dealer, cv.SellingDealerID, "a sold car's selling dealer defaults to the dealer")
	assert.Equal(t, time.UTC, cv.SoldAt.Location())
	assert.Equal(t, time.UTC, cv.Insurance.ValidTo.Location())
	assert.True(t, cv.Insured())
	assert.NotEqual(t, crm.ID{}, cv.ID)

	for _, tc := range []struct {
		name   string
		change func(*aftersales.CustomerVehicle)
		field  string
	}{
		{"no customer", func(cv *aftersales.CustomerVehicle) { cv.CustomerID = crm.ID{} }, "customer_id"},
		{"no vehicle", func(cv *aftersales.CustomerVehicle) { cv.VehicleID = crm.ID{} }, "vehicle_id"},
		{"no VIN", func(cv *aftersales.CustomerVehicle) { cv.VIN = "" }, "vin"},
		{"a VIN of 16 characters", func(cv *aftersales.CustomerVehicle) { cv.VIN = "XTAGFK330LY12345" }, "vin"},
		{"a VIN with the letter O", func(cv *aftersales.CustomerVehicle) { cv.VIN = "XTAGFK330LYO23456" }, "vin"},
		{"a year before the first car", func(cv *aftersales.CustomerVehicle) { cv.Year = 1885 }, "year"},
		{"three years ahead", func(cv *aftersales.CustomerVehicle) { cv.Year = 2029 }, "year"},
		{"no year", func(cv *aftersales.CustomerVehicle) { cv.Year = 0 }, "year"},
		{"no make", func(cv *aftersales.CustomerVehicle) { cv.Make = " " }, "make"},
		{"sale date without a sale", func(cv *aftersales.CustomerVehicle) { cv.SaleID = crm.ID{} }, "sale_id"},
		{"negative odometer", func(cv *aftersales.CustomerVehicle) { cv.OdometerAtSale = -1 }, "odometer_at_sale_km"},
		{"policy without insurer", func(cv *aftersales.CustomerVehicle) { cv.Insurance.Insurer = "" }, "insurance.insurer"},
		{"period ends first", func(cv *aftersales.CustomerVehicle) { cv.Insurance.ValidTo = cv.Insurance.ValidFrom }, "insurance.valid_to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.change(&in)
			_, err := aftersales.NewCustomerVehicle(dealer, in, now)
			require.Error(t, err)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			var got []string
			for _, f := range crm.FieldsOf(err) {
				got = append(got, f.Field)
			}
			assert.Equal(t, []string{tc.field}, got)
		})
	}
}

func TestCheckVINIsLenient(t *testing.T) {
	for _, ok := range []string{"XTAGFK330LY123456", " wvwzzz1jzxw000001 ", "1M8GDM9AXKP042788"} {
		_, err := aftersales.CheckVIN(ok)
		assert.NoError(t, err, ok)
	}
	v, err := aftersales.CheckVIN("1M8GDM9A1KP042788") // a wrong North-American check digit: not checked here
	require.NoError(t, err)
	assert.Equal(t, catalog.VIN("1M8GDM9A1KP042788"), v)
	for _, bad := range []string{"", "ABC", "XTAGFK330LYI23456", "XTAGFK330LYQ23456", "XTAGFK330LY1234567"} {
		_, err := aftersales.CheckVIN(bad)
		assert.True(t, errors.Is(err, crm.ErrInvalid), "%q: %v", bad, err)
	}
}

func TestTakeOverPassesTheCarToTheBuyer(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	dealer, seller, buyer := crm.NewID(), crm.NewID(), crm.NewID()
	known, err := aftersales.NewCustomerVehicle(dealer, aftersales.CustomerVehicle{CustomerID: seller, VIN: "XTAGFK330LY123456",
		Make: "Lada", Model: "Vesta", Year: 2022, OdometerAtSale: 1000, InServiceSince: now.AddDate(-2, 0, 0),
		Insurance: catalog.VehicleInsurance{Insurer: "РЕСО"}}, now.AddDate(-2, 0, 0))
	require.NoError(t, err)
	known.Odometer = 40000
	sold, err := aftersales.NewCustomerVehicle(dealer, aftersales.CustomerVehicle{CustomerID: buyer, VehicleID: crm.NewID(),
		VIN: known.VIN, Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2022, SaleID: crm.NewID(), SoldAt: now,
		OdometerAtSale: 39000, Insurance: catalog.VehicleInsurance{Insurer: "Согаз"},
		Plan: aftersales.AttachedPlan{Interval: aftersales.MaintenanceInterval{EveryKM: 15000}}}, now)
	require.NoError(t, err)
	known.TakeOver(sold, now)
	assert.Equal(t, buyer, known.CustomerID)
	assert.Equal(t, []aftersales.OwnerChange{{From: seller, To: buyer, At: now, Reason: "sold in sale " + sold.SaleID.String()}}, known.Owners)
	assert.Equal(t, sold.SaleID, known.SaleID)
	assert.Equal(t, 40000, known.Odometer, "a lower odometer at sale does not move the odometer back")
	assert.Equal(t, "Согаз", known.Insurance.Insurer)
	assert.Equal(t, []catalog.VehicleInsurance{{Insurer: "РЕСО"}}, known.PastInsurance)
	assert.Equal(t, 15000, known.Plan.Interval.EveryKM, "a plan is attached when the car had none")
}

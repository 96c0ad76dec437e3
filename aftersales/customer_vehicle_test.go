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

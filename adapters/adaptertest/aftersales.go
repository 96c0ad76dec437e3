package adaptertest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runAftersales(t *testing.T, open Open) {
	t.Run("CarBoughtElsewhere", func(t *testing.T) { aftersalesCarBoughtElsewhere(t, open) })
	t.Run("MileageGoesForward", func(t *testing.T) { aftersalesMileageGoesForward(t, open) })
	t.Run("ConcurrentReadings", func(t *testing.T) { aftersalesConcurrentReadings(t, open) })
	t.Run("OwnerAndInsurance", func(t *testing.T) { aftersalesOwnerAndInsurance(t, open) })
	t.Run("VINAndModelYear", func(t *testing.T) { aftersalesVINAndModelYear(t, open) })
	t.Run("OneCarPerVIN", func(t *testing.T) { aftersalesOneCarPerVIN(t, open) })
	t.Run("WonSaleTakesOverAKnownCar", func(t *testing.T) { aftersalesWonSaleTakesOver(t, open) })
	t.Run("service", func(t *testing.T) { runAftersalesService(t, open) })
}

var serviceVINSeq atomic.Int64

// handCar records a car bought elsewhere for a new customer of e.
func (e *salesEnv) handCar(km int) aftersales.CustomerVehicle {
	e.t.Helper()
	cv, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: e.customer("Владелец").ID,
		VIN: catalog.VIN(fmt.Sprintf("Z94CB41AAGR%06d", serviceVINSeq.Add(1))), Make: "Kia", Model: "Rio", Year: 2021,
		OdometerAtSale: km, InServiceSince: Epoch.AddDate(0, -6, 0)})
	require.NoError(e.t, err)
	return cv
}

func aftersalesCarBoughtElsewhere(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	cv := e.handCar(42000)
	assert.EqualValues(t, 1, cv.Version)
	assert.Equal(t, crm.ID{}, cv.VehicleID, "no catalog vehicle")
	assert.Equal(t, crm.ID{}, cv.SaleID)
	got, err := e.after.GetCustomerVehicle(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Equal(t, 42000, got.Odometer)
	assert.True(t, got.InServiceSince.Equal(Epoch.AddDate(0, -6, 0)), "%v", got.InServiceSince)
	rs, err := e.after.ListMileageReadings(e.ctx, cv.ID)
	require.NoError(t, err)
	require.Len(t, rs, 1, "the odometer when it came is the first reading")
	assert.Equal(t, 42000, rs[0].KM)

	_, err = e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: crm.NewID(), VIN: "WVWZZZ1JZXW000001",
		Make: "Volkswagen", Year: 1999})
	kindIs(t, err, crm.ErrNotFound)
	_, err = e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: e.customer("Б").ID, OdometerAtSale: -1})
	require.Error(t, err)
	for _, f := range []string{"vin", "make", "odometer_at_sale_km"} {
		assert.True(t, hasField(err, f), "%s in %v", f, err)
	}
	other := salesEnvOf(t, e.b, "Юг")
	_, err = other.after.GetCustomerVehicle(other.ctx, cv.ID)
	kindIs(t, err, crm.ErrNotFound)
	_, _, err = other.after.RecordMileage(other.ctx, cv.ID, 0, aftersales.MileageReading{KM: 50000})
	kindIs(t, err, crm.ErrNotFound)
}

func aftersalesMileageGoesForward(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	cv := e.handCar(10000)
	e.clock.Advance(24 * time.Hour)
	cv, r, err := e.after.RecordMileage(e.ctx, cv.ID, cv.Version, aftersales.MileageReading{KM: 12000})
	require.NoError(t, err)
	assert.Equal(t, 12000, cv.Odometer)
	assert.EqualValues(t, 2, cv.Version, "created (with its first reading), then one reading")
	assert.True(t, r.At.Equal(e.clock.Now()), "a reading without a time is taken now")

	_, _, err = e.after.RecordMileage(e.ctx, cv.ID, 0, aftersales.MileageReading{KM: 11999})
	kindIs(t, err, aftersales.ErrMileageBelowLast)
	assert.Equal(t, aftersales.CodeMileageBelowLast, crm.CodeOf(err))
	_, _, err = e.after.RecordMileage(e.ctx, cv.ID, 0, aftersales.MileageReading{KM: 13000, At: e.clock.Now().Add(-time.Hour)})
	kindIs(t, err, aftersales.ErrMileageBelowLast)
	_, _, err = e.after.RecordMileage(e.ctx, cv.ID, 0, aftersales.MileageReading{KM: 13000, At: e.clock.Now().Add(time.Hour)})
	assert.True(t, hasField(err, "at"), "a reading from the future: %v", err)
	_, _, err = e.after.RecordMileage(e.ctx, cv.ID, 0, aftersales.MileageReading{KM: -5})
	assert.True(t, hasField(err, "km"), "%v", err)
	_, _, err = e.after.RecordMileage(e.ctx, cv.ID, 1, aftersales.MileageReading{KM: 20000})
	kindIs(t, err, crm.ErrStaleVersion)

	e.clock.Advance(time.Hour)
	same, _, err := e.after.RecordMileage(e.ctx, cv.ID, 0, aftersales.MileageReading{KM: 12000})
	require.NoError(t, err, "the same reading again is not lower")
	e.clock.Advance(time.Hour)
	fixed, r, err := e.after.RecordMileage(e.ctx, cv.ID, same.Version, aftersales.MileageReading{KM: 11500, CorrectionReason: "опечатка"})
	require.NoError(t, err)
	assert.Equal(t, 11500, fixed.Odometer)
	assert.True(t, r.Correction())
	rs, err := e.after.ListMileageReadings(e.ctx, cv.ID)
	require.NoError(t, err)
	var kms []int
	for _, x := range rs {
		kms = append(kms, x.KM)
	}
	assert.Equal(t, []int{10000, 12000, 12000, 11500}, kms, "refused readings left nothing")
	assert.Equal(t, "опечатка", rs[3].CorrectionReason)
}

// aftersalesConcurrentReadings: 20 readings at once against one version, one wins; 20 unconditional readings of
// different km each see the one before: the stored ones never go down.
func aftersalesConcurrentReadings(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	cv := e.handCar(1000)
	const n = 20
	var wg sync.WaitGroup
	var ok, stale atomic.Int64
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := e.after.RecordMileage(e.ctx, cv.ID, cv.Version, aftersales.MileageReading{KM: 2000 + i})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, crm.ErrStaleVersion):
				stale.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, ok.Load())
	assert.EqualValues(t, n-1, stale.Load())

	var below atomic.Int64
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := e.after.RecordMileage(e.ctx, cv.ID, 0, aftersales.MileageReading{KM: 3000 + 100*((i*7)%n)})
			if err != nil && !errors.Is(err, aftersales.ErrMileageBelowLast) {
				t.Errorf("unexpected: %v", err)
			}
			if err != nil {
				below.Add(1)
			}
		}()
	}
	wg.Wait()
	rs, err := e.after.ListMileageReadings(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Len(t, rs, 2+n-int(below.Load()))
	highest := 0
	for _, r := range rs {
		highest = max(highest, r.KM)
	}
	got, err := e.after.GetCustomerVehicle(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Equal(t, highest, got.Odometer, "each accepted reading was at least the one before it, so the last is the highest")
}

func aftersalesOwnerAndInsurance(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	cv := e.handCar(5000)
	first := cv.CustomerID
	next := e.customer("Новый")
	e.clock.Advance(time.Hour)
	edited, err := e.after.EditCustomerVehicle(e.ctx, cv.ID, cv.Version, aftersales.CustomerVehicleEdit{CustomerID: &next.ID,
		OwnerChangeReason: "продажа с рук"})
	require.NoError(t, err)
	assert.Equal(t, next.ID, edited.CustomerID)
	require.Len(t, edited.Owners, 1)
	assert.Equal(t, aftersales.OwnerChange{From: first, To: next.ID, At: e.clock.Now(), Reason: "продажа с рук"}, edited.Owners[0])

	p1 := catalog.VehicleInsurance{Insurer: "РЕСО", PolicyNumber: "ХХХ 1", ValidFrom: Epoch, ValidTo: Epoch.AddDate(1, 0, 0)}
	p2 := catalog.VehicleInsurance{Insurer: "Ингосстрах", PolicyNumber: "ХХХ 2", ValidFrom: Epoch.AddDate(1, 0, 0), ValidTo: Epoch.AddDate(2, 0, 0)}
	_, err = e.after.EditCustomerVehicle(e.ctx, cv.ID, 0, aftersales.CustomerVehicleEdit{Insurance: &p1})
	require.NoError(t, err)
	renewed, err := e.after.EditCustomerVehicle(e.ctx, cv.ID, 0, aftersales.CustomerVehicleEdit{Insurance: &p2})
	require.NoError(t, err)
	got, err := e.after.GetCustomerVehicle(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Equal(t, renewed.Version, got.Version)
	assert.Equal(t, "Ингосстрах", got.Insurance.Insurer)
	require.Len(t, got.PastInsurance, 1)
	assert.Equal(t, p1.PolicyNumber, got.PastInsurance[0].PolicyNumber)
	assert.True(t, got.PastInsurance[0].ValidTo.Equal(p1.ValidTo))
	require.Len(t, got.Owners, 1)
	assert.True(t, got.Owners[0].At.Equal(edited.Owners[0].At))

	bad := catalog.VehicleInsurance{PolicyNumber: "ХХХ 3", ValidFrom: Epoch, ValidTo: Epoch}
	stranger := crm.NewID()
	_, err = e.after.EditCustomerVehicle(e.ctx, cv.ID, 0, aftersales.CustomerVehicleEdit{Insurance: &bad})
	for _, f := range []string{"insurance.insurer", "insurance.valid_to"} {
		assert.True(t, hasField(err, f), "%s in %v", f, err)
	}
	_, err = e.after.EditCustomerVehicle(e.ctx, cv.ID, 0, aftersales.CustomerVehicleEdit{CustomerID: &stranger})
	kindIs(t, err, crm.ErrNotFound)
	_, err = e.after.EditCustomerVehicle(e.ctx, cv.ID, 1, aftersales.CustomerVehicleEdit{Insurance: &p1})
	kindIs(t, err, crm.ErrStaleVersion)
	after, err := e.after.GetCustomerVehicle(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Equal(t, got.Version, after.Version, "refused edits changed nothing")
}

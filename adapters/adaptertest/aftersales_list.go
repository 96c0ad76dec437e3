package adaptertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCustomerVehicleList pages through every customer vehicle of the dealer, oldest first, with a keyset cursor.
func testCustomerVehicleList(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	c := e.customer("Пётр")
	var want []crm.ID
	for i := 0; i < 5; i++ {
		v := e.vehicle("Vesta", "1500000")
		at := Epoch.Add(time.Duration(i%3) * time.Hour) // equal creation times are ordered by ID
		cv, err := aftersales.NewCustomerVehicle(e.dealer.ID, aftersales.CustomerVehicle{CustomerID: c.ID, VehicleID: v.ID,
			VIN: v.VIN, Make: v.Make, Model: v.Model, Year: v.Year, SaleID: crm.NewID(), SoldAt: at}, at)
		require.NoError(t, err)
		e.update(func(ctx context.Context, s sales.Stores) error { return s.CustomerVehicles().Create(ctx, &cv) })
		want = append(want, cv.ID)
	}
	var got []crm.ID
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5)
		page, err := e.after.ListCustomerVehicles(e.ctx, cursor, 2)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(page.Items), 2)
		for _, cv := range page.Items {
			got = append(got, cv.ID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	assert.ElementsMatch(t, want, got, "every record once")
	assert.Len(t, got, 5)
	all, err := e.after.ListCustomerVehicles(e.ctx, "", 0)
	require.NoError(t, err)
	assert.Equal(t, got, func() []crm.ID {
		var ids []crm.ID
		for _, cv := range all.Items {
			ids = append(ids, cv.ID)
		}
		return ids
	}(), "pages follow the same order as one page")

	_, err = e.after.ListCustomerVehicles(e.ctx, "not-a-cursor", 2)
	assert.True(t, errors.Is(err, crm.ErrInvalid))
	other := salesEnvOf(t, e.b, "Чужой")
	none, err := other.after.ListCustomerVehicles(other.ctx, "", 0)
	require.NoError(t, err)
	assert.Empty(t, none.Items)
}

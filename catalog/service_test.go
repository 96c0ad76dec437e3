package catalog_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The services are tested on both adapters by the contract suite (adapters/adaptertest); these tests hold what
// is the service's own: the dealer it reads, and validation before any store is touched.

func newService(t *testing.T) (*catalog.Service, context.Context) {
	t.Helper()
	db := memory.New()
	d, err := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север»", StrictVIN: true}, now)
	require.NoError(t, err)
	require.NoError(t, crm.NewUnit[crm.Stores](db, nil).Update(context.Background(), func(ctx context.Context, s crm.Stores) error {
		return s.Dealers().Create(ctx, &d)
	}))
	clock := crm.NewManualClock(now)
	return catalog.NewService(crm.NewUnit[catalog.Stores](db, clock), clock), crm.WithDealer(context.Background(), d.ID)
}

func TestServiceUsesTheDealersPolicy(t *testing.T) {
	svc, ctx := newService(t)
	_, err := svc.CreateVehicle(ctx, catalog.Vehicle{VIN: "WVWZZZ1JZXW000001", Make: "VW", Model: "Golf", Year: 1999})
	assert.Equal(t, []string{"vin"}, fields(err), "the dealer is strict")
	v, err := svc.CreateVehicle(ctx, catalog.Vehicle{VIN: "1G4AH59H45G118341", Make: "Buick", Model: "LeSabre", Year: 2005})
	require.NoError(t, err)
	assert.Equal(t, now.Truncate(time.Microsecond), v.CreatedAt, "the unit of work's time, truncated once")

	// An unknown dealer in the context is not found; no dealer at all is forbidden.
	_, err = svc.CreateVehicle(crm.WithDealer(context.Background(), crm.NewID()), v)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	_, err = svc.CreatePart(context.Background(), catalog.Part{Number: "1", Name: "x"})
	assert.True(t, errors.Is(err, crm.ErrForbidden), "got %v", err)
}

func TestServiceValidatesQueriesFirst(t *testing.T) {
	svc, ctx := newService(t)
	_, err := svc.SearchVehicles(ctx, catalog.VehicleQuery{Sort: "colour"})
	assert.Equal(t, []string{"sort"}, fields(err))
	_, err = svc.ListReservedVehicles(ctx, catalog.VehicleQuery{Cursor: "?"})
	assert.Equal(t, []string{"cursor"}, fields(err))
	_, err = svc.SearchParts(ctx, catalog.PartQuery{Cursor: "?"})
	assert.Equal(t, []string{"cursor"}, fields(err))
}

func TestServiceUpdatesNeedTheCurrentVersion(t *testing.T) {
	svc, ctx := newService(t)
	p, err := svc.CreatePart(ctx, catalog.Part{Number: "1", Name: "Фильтр", Quantity: 2})
	require.NoError(t, err)
	moved, err := svc.AdjustPartStock(ctx, p.ID, 0, 3)
	require.NoError(t, err)
	assert.Equal(t, 5, moved.Quantity)
	_, err = svc.UpdatePart(ctx, p.ID, p.Version, p)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
	_, err = svc.UpdatePart(ctx, moved.ID, moved.Version, moved)
	assert.NoError(t, err)

	item, err := svc.CreateLabour(ctx, catalog.Labour{Code: "A", Name: "Диагностика"})
	require.NoError(t, err)
	item.Version = 7
	_, err = svc.UpdateLabour(ctx, item.ID, item.Version, item)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
}

package adaptertest

import (
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dealVehicleDealerTab: the vehicle card keeps its dealer tab (branch, responsible manager, supplier, arrival
// document) and returns it with the card; the manager must be a user of the dealer.
func dealVehicleDealerTab(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	manager := e.newUser("Ольга Кузнецова")
	svc := catalog.NewService(crm.NewUnit[catalog.Stores](e.b, nil), e.clock)
	tab := catalog.VehicleDealerTab{Branch: "Шоурум на Ленинградке", ManagerID: manager, Supplier: "ООО «Лада-Импорт»",
		ArrivalDocument: "ТТН № 4512 от 03.11.2026"}
	in := catalog.Vehicle{VIN: "XTAGFL110TY016001", Make: "Lada", Model: "Vesta", Year: 2026,
		DealerTab: catalog.VehicleDealerTab{Branch: "  " + tab.Branch + " ", ManagerID: manager, Supplier: tab.Supplier,
			ArrivalDocument: tab.ArrivalDocument}}
	v, err := svc.CreateVehicle(e.ctx, in)
	require.NoError(t, err)
	assert.Equal(t, tab, v.DealerTab)
	got, err := svc.GetVehicle(e.ctx, v.ID)
	require.NoError(t, err)
	assert.Equal(t, tab, got.DealerTab, "returned with the card")

	got.DealerTab.Branch = "Филиал в Химках"
	got.DealerTab.ManagerID = crm.NewID()
	_, err = svc.UpdateVehicle(e.ctx, got.ID, got.Version, got)
	require.ErrorIs(t, err, crm.ErrInvalid)
	assert.Equal(t, []string{"dealer.manager_id"}, salesFields(err))
	got.DealerTab.ManagerID = manager
	upd, err := svc.UpdateVehicle(e.ctx, got.ID, got.Version, got)
	require.NoError(t, err)
	assert.Equal(t, "Филиал в Химках", upd.DealerTab.Branch)
	assert.Equal(t, upd, e.getVehicle(v.ID))

	in.VIN, in.DealerTab.ManagerID = "XTAGFL110TY016002", crm.NewID()
	_, err = svc.CreateVehicle(e.ctx, in)
	require.ErrorIs(t, err, crm.ErrInvalid, "a manager who is not the dealer's user")
}

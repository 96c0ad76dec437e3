package adaptertest

import (
	"testing"

	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runDeal runs the rules of the deal (issue 9): directory names, test-drive holds, money that adds up, orders,
// the contract at the sale, lead identity and external references.
func runDeal(t *testing.T, open Open) {
	t.Run("DirectoryNames", func(t *testing.T) { dealDirectoryNames(t, open) })
	t.Run("DemoCarDrivenByThree", func(t *testing.T) { dealDemoCarDrivenByThree(t, open) })
	t.Run("BookedNoticeNamesTheDealer", func(t *testing.T) { dealBookedNoticeNamesTheDealer(t, open) })
	t.Run("SaleOnCarWithOthersDrives", func(t *testing.T) { dealSaleOnCarWithOthersDrives(t, open) })
	t.Run("LateDriveKeepsHold", func(t *testing.T) { dealLateDriveKeepsHold(t, open) })
	t.Run("MoneyAddsUp", func(t *testing.T) { dealMoneyAddsUp(t, open) })
	t.Run("ContractAtTheSale", func(t *testing.T) { dealContractAtTheSale(t, open) })
	t.Run("LeadIdentity", func(t *testing.T) { dealLeadIdentity(t, open) })
	t.Run("LeadSearchByPhone", func(t *testing.T) { dealLeadSearchByPhone(t, open) })
	t.Run("VehicleDealerTab", func(t *testing.T) { dealVehicleDealerTab(t, open) })
	t.Run("VehicleExternalID", func(t *testing.T) { dealVehicleExternalID(t, open) })
	t.Run("ExternalIDs", func(t *testing.T) { dealExternalIDs(t, open) })
	t.Run("OrderNumbers", func(t *testing.T) { dealOrderNumbers(t, open) })
	t.Run("OrderLifecycle", func(t *testing.T) { dealOrderLifecycle(t, open) })
	t.Run("OrdersRaceForTheLastPart", func(t *testing.T) { dealOrdersRaceForTheLastPart(t, open) })
}

// dealDirectoryNames: the seeded need types and stages read back with their Russian names and English names kept.
func dealDirectoryNames(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	require.NoError(t, e.leads.SeedDirectories(e.ctx))
	nts, err := e.leads.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	var got []string
	for _, n := range nts {
		got = append(got, n.Code+"="+n.Name+"/"+n.NameEn)
	}
	assert.Equal(t, []string{"car_purchase=Покупка автомобиля/Car purchase", "trade_in=Trade in/Trade-in",
		"spare_parts=Запасные части/Spare parts", "accessories=Аксессуары/Accessories", "service=Сервис/Service"}, got)

	ls, err := e.leads.ListLeadStages(e.ctx)
	require.NoError(t, err)
	got = nil
	for _, s := range ls {
		got = append(got, s.Code+"="+s.Name+"/"+s.NameEn)
	}
	want := []string(nil)
	for _, s := range leads.DefaultLeadStages() {
		want = append(want, s.Code+"="+s.Name+"/"+s.NameEn)
	}
	assert.Equal(t, want, got)
	assert.Contains(t, got, "new=Новый/New")

	ss, err := e.svc.ListStages(e.ctx)
	require.NoError(t, err)
	got, want = nil, nil
	for _, s := range ss {
		got = append(got, s.Code+"="+s.Name+"/"+s.NameEn)
	}
	for _, s := range sales.DefaultStages() {
		want = append(want, s.Code+"="+s.Name+"/"+s.NameEn)
	}
	assert.Equal(t, want, got)
	assert.Contains(t, got, "test_drive=Тест-драйв/Test drive")
}

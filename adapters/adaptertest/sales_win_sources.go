package adaptertest

import (
	"context"
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
)

// runSalesWin is the contract of what winning a sale reads (sales.ReadWinSources: the bundle's sales.WinReader
// when it has one, else store by store) and of the win's refusals.
func runSalesWin(t *testing.T, open Open) {
	t.Run("SourcesAsTheStoresReadThem", func(t *testing.T) { testSalesWinSources(t, open) })
	t.Run("SourcesOfASaleWithoutCarOrOrder", func(t *testing.T) { testSalesWinSourcesBare(t, open) })
	t.Run("Refusals", func(t *testing.T) { testSalesWinRefusals(t, open) })
}

// winSourcesByStore reads what sales.WinSources holds one store at a time, as the stores' own reads give it: the
// reference the joined read must match.
func winSourcesByStore(ctx context.Context, t *testing.T, s sales.Stores, saleID crm.ID) sales.WinSources {
	t.Helper()
	var src sales.WinSources
	var err error
	src.Sale, err = s.Sales().Get(ctx, saleID)
	require.NoError(t, err)
	if src.Order, err = s.Orders().FindBySale(ctx, saleID); err == nil {
		src.HasOrder = true
	} else {
		require.ErrorIs(t, err, crm.ErrNotFound)
		src.Order = sales.Order{}
	}
	src.Customer, err = s.Customers().Get(ctx, src.Sale.CustomerID)
	require.NoError(t, err)
	if src.Sale.VehicleID == (crm.ID{}) {
		return src
	}
	src.Vehicle, err = s.Vehicles().GetForReserve(ctx, src.Sale.VehicleID)
	require.NoError(t, err)
	src.Drives.Drives, err = s.TestDrives().ListByVehicle(ctx, src.Vehicle.ID)
	require.NoError(t, err)
	for _, d := range src.Drives.Drives {
		if d.LeadID != (crm.ID{}) {
			l, err := s.Leads().Get(ctx, d.LeadID)
			require.NoError(t, err)
			src.Drives.Leads = append(src.Drives.Leads, l)
			continue
		}
		c, err := s.Customers().Get(ctx, d.CustomerID)
		require.NoError(t, err)
		src.Drives.Customers = append(src.Drives.Customers, c)
	}
	if known, err := s.CustomerVehicles().FindByVIN(ctx, src.Vehicle.VIN); err == nil {
		src.Known = aftersales.KnownVIN{Vehicle: known, Found: true}
	} else {
		require.ErrorIs(t, err, crm.ErrNotFound)
	}
	return src
}

// testSalesWinSources: a sale converted from a lead, with an order of two lines, on a car booked for drives by
// two leads (one the buyer's) and by a customer, whose VIN the dealer already keeps for a previous owner: the
// win's read gives exactly what the stores give one by one, in a read-write unit (where it locks) and in a
// read-only one; an unknown sale and another dealer's are not found.
func testSalesWinSources(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	previous := e.customer("Прежний")
	known, err := aftersales.NewCustomerVehicle(e.dealer.ID, aftersales.CustomerVehicle{CustomerID: previous.ID,
		VIN: v.VIN, Make: v.Make, Model: v.Model, Year: v.Year}, Epoch)
	require.NoError(t, err)
	e.update(func(ctx context.Context, s sales.Stores) error { return s.CustomerVehicles().Create(ctx, &known) })

	other := e.lead("Ольга", "Vesta", crm.ID{})
	e.testDrive(other, v.ID, msk(24+11, 0))
	walkIn := e.customer("Гость")
	_, err = e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{CustomerID: walkIn.ID, VehicleID: v.ID, Start: msk(24+13, 0)})
	require.NoError(t, err)
	buyer := e.lead("Пётр", "Vesta", v.ID)
	e.testDrive(buyer, v.ID, msk(24+15, 0))
	sale, err := e.svc.ConvertLead(e.ctx, buyer.ID, 0, sales.ConvertInput{VehicleID: v.ID})
	require.NoError(t, err)
	order, err := e.svc.CreateOrder(e.ctx, sale.ID, "")
	require.NoError(t, err)
	order, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LineVehicle, RefID: v.ID,
		Description: "Lada Vesta", Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("1500000", "RUB")})
	require.NoError(t, err)
	_, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LineOther,
		Description: "Коврики", Quantity: decimal.NewFromInt(2), UnitPrice: crm.MustMoney("2500", "RUB")})
	require.NoError(t, err)

	check := func(ctx context.Context, s sales.Stores) error {
		want := winSourcesByStore(ctx, t, s, sale.ID)
		require.True(t, want.HasOrder)
		require.Len(t, want.Order.Lines, 2)
		require.Len(t, want.Drives.Drives, 3)
		require.Len(t, want.Drives.Leads, 2)
		require.Len(t, want.Drives.Customers, 1)
		require.True(t, want.Known.Found)
		got, err := sales.ReadWinSources(ctx, s, sale.ID)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		_, err = sales.ReadWinSources(ctx, s, crm.NewID())
		assert.ErrorIs(t, err, crm.ErrNotFound)
		return nil
	}
	e.update(check)
	e.view(check)

	other2 := salesEnvOf(t, e.b, "Юг")
	require.NoError(t, crm.NewUnit[sales.Stores](e.b, nil).View(other2.ctx, func(ctx context.Context, s sales.Stores) error {
		_, err := sales.ReadWinSources(ctx, s, sale.ID)
		assert.ErrorIs(t, err, crm.ErrNotFound, "another dealer's sale")
		return nil
	}))
}

// testSalesWinSourcesBare: a sale without a car and without an order reads as the stores read it (no order, no
// car, no drives, no known VIN).
func testSalesWinSourcesBare(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	sale := e.open(e.customer("Без машины").ID, crm.ID{})
	e.update(func(ctx context.Context, s sales.Stores) error {
		want := winSourcesByStore(ctx, t, s, sale.ID)
		got, err := sales.ReadWinSources(ctx, s, sale.ID)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.False(t, got.HasOrder)
		assert.Zero(t, got.Vehicle.ID)
		assert.Empty(t, got.Drives.Drives)
		assert.False(t, got.Known.Found)
		return nil
	})
}

// testSalesWinRefusals: a stale version, a sale already won and a car sold to another sale are refused, and
// the refused win leaves the car, the drives and the customer vehicles as they were.
func testSalesWinRefusals(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	prospect := e.lead("Ольга", "Vesta", crm.ID{})
	drive := e.testDrive(prospect, v.ID, msk(24+11, 0))
	buyer := e.customer("Покупатель")
	first := e.open(buyer.ID, v.ID)
	second := e.open(buyer.ID, v.ID) // another sale of the same customer holds the car too

	_, _, err := e.svc.WinSale(e.ctx, first.ID, first.Version+1, sales.WinInput{})
	assert.ErrorIs(t, err, crm.ErrStaleVersion, "a stale version")
	assert.Equal(t, first, e.getSale(first.ID))
	assert.NotEqual(t, catalog.StatusSold, e.getVehicle(v.ID).Status)
	assert.Empty(t, e.customerVehiclesOf(v.ID))
	got, err := e.leads.GetTestDrive(e.ctx, drive.ID)
	require.NoError(t, err)
	assert.Equal(t, leads.TestDriveBooked, got.Status, "the refused win cancelled nothing")

	won, cv, err := e.svc.WinSale(e.ctx, first.ID, first.Version, sales.WinInput{})
	require.NoError(t, err)
	assert.Equal(t, sales.StatusWon, won.Status)
	assert.Equal(t, first.ID, cv.SaleID)

	_, _, err = e.svc.WinSale(e.ctx, first.ID, won.Version, sales.WinInput{})
	assert.ErrorIs(t, err, sales.ErrSaleClosed, "a sale already won")

	_, _, err = e.svc.WinSale(e.ctx, second.ID, second.Version, sales.WinInput{})
	assert.True(t, errors.Is(err, catalog.ErrVehicleSold), "a car sold to another sale: %v", err)
	assert.Equal(t, second, e.getSale(second.ID))
	cvs := e.customerVehiclesOf(v.ID)
	require.Len(t, cvs, 1)
	assert.Equal(t, first.ID, cvs[0].SaleID)
	assert.Equal(t, first.ID, e.getVehicle(v.ID).SaleID)
}

package adaptertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// catalogEnv is one dealer's catalog on a fresh backend, with a manual clock.
type catalogEnv struct {
	b      Backend
	ctx    context.Context
	dealer crm.Dealer
	clock  *crm.ManualClock
	svc    *catalog.Service
}

func newCatalogEnv(t *testing.T, b Backend, name string) *catalogEnv {
	t.Helper()
	ctx, d := NewDealer(t, b, name)
	clock := crm.NewManualClock(Epoch)
	return &catalogEnv{b: b, ctx: ctx, dealer: d, clock: clock, svc: catalog.NewService(crm.NewUnit[catalog.Stores](b, clock), clock)}
}

// testVIN returns a distinct VIN of ISO structure (lenient policy) for n.
func testVIN(n int) catalog.VIN { return catalog.VIN(fmt.Sprintf("XTA%014d", n)) }

// card returns a valid card for the given VIN, make, model, year and list price (RUB).
func card(vin catalog.VIN, make_, model string, year int, price string) catalog.Vehicle {
	return catalog.Vehicle{VIN: vin, Make: make_, Model: model, Year: year, Condition: catalog.New,
		Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney(price, "RUB")}}
}

func (e *catalogEnv) create(t *testing.T, v catalog.Vehicle) catalog.Vehicle {
	t.Helper()
	out, err := e.svc.CreateVehicle(e.ctx, v)
	require.NoError(t, err)
	return out
}

func (e *catalogEnv) get(t *testing.T, id crm.ID) catalog.Vehicle {
	t.Helper()
	v, err := e.svc.GetVehicle(e.ctx, id)
	require.NoError(t, err)
	return v
}

// sameJSON asserts that two records encode alike: the adapters must hand back exactly what was saved.
func sameJSON(t *testing.T, want, got any) {
	t.Helper()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	g, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, string(w), string(g))
}

func runCatalog(t *testing.T, open Open) {
	t.Run("VehicleCardRoundTrips", func(t *testing.T) { catalogVehicleRoundTrip(t, open(t)) })
	t.Run("ProductSearch", func(t *testing.T) { catalogProductSearch(t, open(t)) })
	t.Run("ExpireReservations", func(t *testing.T) { catalogExpireReservations(t, open(t)) })
	t.Run("ExpireAmongManyHolds", func(t *testing.T) { catalogExpireAmongManyHolds(t, open(t)) })
	t.Run("ExpireAnExclusiveHold", func(t *testing.T) { catalogExpireAnExclusiveHold(t, open(t)) })
	t.Run("VehicleUpdateAndStaleVersion", func(t *testing.T) { catalogVehicleUpdate(t, open(t)) })
	t.Run("DuplicateVINIsConflict", func(t *testing.T) { catalogDuplicateVIN(t, open(t)) })
	t.Run("StoreRefusesBrokenInvariants", func(t *testing.T) { catalogInvariants(t, open(t)) })
	t.Run("DealerIsolation", func(t *testing.T) { catalogIsolation(t, open(t)) })
	t.Run("RollbackLeavesNothing", func(t *testing.T) { catalogRollback(t, open(t)) })
	t.Run("StatusRulesAndReservedView", func(t *testing.T) { catalogStatusRules(t, open(t)) })
	t.Run("ConcurrentReservationsOneWinner", func(t *testing.T) { catalogConcurrentReserve(t, open(t)) })
	t.Run("ExpiredReservationsHoldNothing", func(t *testing.T) { catalogExpiredReservations(t, open(t)) })
	t.Run("HoldsForReserve", func(t *testing.T) { catalogHoldsForReserve(t, open(t)) })
	t.Run("SearchFilters", func(t *testing.T) { catalogSearchFilters(t, open(t)) })
	t.Run("SearchPagingStableUnderInserts", func(t *testing.T) { catalogKeysetStable(t, open(t)) })
	t.Run("SearchRefusesBadQueries", func(t *testing.T) { catalogSearchInvalid(t, open(t)) })
	t.Run("Parts", func(t *testing.T) { catalogParts(t, open(t)) })
	t.Run("ConcurrentStockAdjustmentsAddUp", func(t *testing.T) { catalogConcurrentStock(t, open(t)) })
	t.Run("Services", func(t *testing.T) { catalogLabours(t, open(t)) })
}

func catalogVehicleRoundTrip(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "Север")
	in := catalog.Vehicle{
		VIN: " xta210990y2766389 ", Make: "Lada", Model: "Vesta", Generation: "I",
		Trim: "Comfort", ModelCode: "GFL", Year: 2026, Body: "sedan", Color: "Белый", InteriorColor: "Чёрный",
		Condition: catalog.New, EngineNumber: "21129 1234567", RegNumber: "А123ВС777",
		StockNumber: "S-001", Location: "Площадка №2", ArrivedAt: Epoch.Add(-48 * time.Hour), Demo: true, Mileage: 12,
		Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1520000.50", "RUB"), Cost: crm.MustMoney("1300000", "RUB"),
			Discount: crm.MustMoney("20000", "RUB"), VATRate: decimal.RequireFromString("0.20")},
		Insurance: catalog.VehicleInsurance{Insurer: "АО «Страховщик»", PolicyNumber: "ХХХ 0123456789",
			ValidFrom: Epoch, ValidTo: Epoch.AddDate(1, 0, 0)},
		Specs: catalog.VehicleSpecs{EngineType: "petrol I4", DisplacementCC: 1596, PowerKW: decimal.RequireFromString("78.7"),
			PowerHP: decimal.NewFromInt(106), Fuel: "petrol", Transmission: "cvt", Drive: "fwd", Seats: 5, Doors: 4,
			EmissionClass: "Euro 5"},
	}
	v := e.create(t, in)
	assert.EqualValues(t, 1, v.Version)
	assert.Equal(t, catalog.VIN("XTA210990Y2766389"), v.VIN)
	assert.Equal(t, catalog.StatusInStock, v.Status)
	assert.Equal(t, e.dealer.ID, v.DealerID)
	assert.True(t, v.CreatedAt.Equal(Epoch))

	got := e.get(t, v.ID)
	sameJSON(t, v, got)
	assert.Equal(t, "Площадка №2", got.Location)
	assert.True(t, got.Finance.ListPrice.Equal(crm.MustMoney("1520000.50", "RUB")), "got %v", got.Finance.ListPrice)
	assert.True(t, got.Finance.MarketValue.Equal(crm.Zero("RUB")), "an absent amount is zero in the card's currency")

	// GetByVIN finds it, in the dealer's scope only.
	err := crm.NewUnit[catalog.Stores](b, nil).View(e.ctx, func(ctx context.Context, s catalog.Stores) error {
		byVIN, err := s.Vehicles().GetByVIN(ctx, v.VIN)
		if err != nil {
			return err
		}
		assert.Equal(t, v.ID, byVIN.ID)
		_, err = s.Vehicles().GetByVIN(ctx, testVIN(404))
		assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
		return nil
	})
	require.NoError(t, err)

	// A vehicle that is not there is not found; a write in a read-only unit fails.
	_, err = e.svc.GetVehicle(e.ctx, crm.NewID())
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	err = crm.NewUnit[catalog.Stores](b, nil).View(e.ctx, func(ctx context.Context, s catalog.Stores) error {
		c := card(testVIN(1), "Kia", "Rio", 2020, "1")
		c.Status, c.Meta = catalog.StatusInStock, crm.NewMeta(e.dealer.ID, Epoch)
		return s.Vehicles().Create(ctx, &c)
	})
	assert.Error(t, err)

	// The strict policy refuses a VIN without a valid check digit and accepts a North-American one.
	strict, err := crm.NewDealer(crm.Dealer{Name: "Strict", LegalName: "Strict LLC", Currency: "USD", StrictVIN: true}, Epoch)
	require.NoError(t, err)
	require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(context.Background(), func(ctx context.Context, s crm.Stores) error {
		return s.Dealers().Create(ctx, &strict)
	}))
	sctx := crm.WithDealer(context.Background(), strict.ID)
	_, err = e.svc.CreateVehicle(sctx, card("1M8GDM9A0KP042788", "MCI", "Coach", 1989, "1000"))
	assert.True(t, errors.Is(err, crm.ErrInvalid), "got %v", err)
	assert.Contains(t, fieldNames(err), "vin")
	us, err := e.svc.CreateVehicle(sctx, catalog.Vehicle{VIN: "1M8GDM9AXKP042788", Make: "MCI", Model: "Coach", Year: 1989,
		Condition: catalog.Used})
	require.NoError(t, err)
	assert.Equal(t, crm.Currency("USD"), us.Finance.ListPrice.Currency, "money without currency takes the dealer's")
}

func fieldNames(err error) []string {
	var out []string
	for _, f := range crm.FieldsOf(err) {
		out = append(out, f.Field)
	}
	return out
}

func catalogVehicleUpdate(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	v := e.create(t, card(testVIN(1), "Kia", "Rio", 2024, "1500000"))
	e.clock.Advance(time.Hour)

	edit := v
	edit.Trim, edit.Mileage = "Prestige", 100
	edit.Status = catalog.StatusSold // ignored: the status changes only through the rules
	up, err := e.svc.UpdateVehicle(e.ctx, edit.ID, edit.Version, edit)
	require.NoError(t, err)
	assert.EqualValues(t, 2, up.Version)
	assert.Equal(t, catalog.StatusInStock, up.Status)
	assert.True(t, up.UpdatedAt.Equal(Epoch.Add(time.Hour)))
	sameJSON(t, up, e.get(t, v.ID))

	// The caller's copy is at version 1: refused through the service and through the store.
	stale := v
	stale.Trim = "Luxe"
	_, err = e.svc.UpdateVehicle(e.ctx, stale.ID, stale.Version, stale)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
	err = crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Vehicles().Update(ctx, &stale) })
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
	assert.EqualValues(t, 1, stale.Version, "a refused update leaves the caller's version alone")
	assert.Equal(t, "Prestige", e.get(t, v.ID).Trim)

	// Invalid edits name the field; unknown vehicles are not found.
	bad := up
	bad.Make, bad.Finance.ListPrice = "", crm.MustMoney("-1", "RUB")
	_, err = e.svc.UpdateVehicle(e.ctx, bad.ID, bad.Version, bad)
	assert.True(t, errors.Is(err, crm.ErrInvalid), "got %v", err)
	assert.Subset(t, fieldNames(err), []string{"make", "list_price"})
	missing := up
	missing.ID = crm.NewID()
	_, err = e.svc.UpdateVehicle(e.ctx, missing.ID, missing.Version, missing)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	err = crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Vehicles().Update(ctx, &missing) })
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
}

func catalogDuplicateVIN(t *testing.T, b Backend) {
	a := newCatalogEnv(t, b, "A")
	first := a.create(t, card(testVIN(7), "Kia", "Rio", 2024, "1"))
	_, err := a.svc.CreateVehicle(a.ctx, card(" "+catalog.VIN(strings.ToLower(string(testVIN(7))))+" ", "Kia", "Ceed", 2024, "1"))
	assert.True(t, errors.Is(err, crm.ErrConflict), "same VIN, same dealer: got %v", err)

	// Another dealer may hold the same VIN (a car sold on and traded in elsewhere).
	other := newCatalogEnv(t, b, "B")
	other.create(t, card(testVIN(7), "Kia", "Rio", 2024, "1"))

	// Changing a VIN to one the dealer has is a conflict too; to a free one is fine, and frees the old one.
	second := a.create(t, card(testVIN(8), "Kia", "Rio", 2024, "1"))
	second.VIN = testVIN(7)
	_, err = a.svc.UpdateVehicle(a.ctx, second.ID, second.Version, second)
	assert.True(t, errors.Is(err, crm.ErrConflict), "got %v", err)
	first.VIN = testVIN(9)
	_, err = a.svc.UpdateVehicle(a.ctx, first.ID, first.Version, first)
	require.NoError(t, err)
	a.create(t, card(testVIN(7), "Kia", "Rio", 2024, "1"))

	// The store holds it as well, whatever the caller did before.
	err = crm.NewUnit[catalog.Stores](b, nil).Update(a.ctx, func(ctx context.Context, s catalog.Stores) error {
		v, err := catalog.NewVehicle(a.dealer, card(testVIN(9), "Kia", "Rio", 2024, "1"), Epoch)
		if err != nil {
			return err
		}
		return s.Vehicles().Create(ctx, &v)
	})
	assert.True(t, errors.Is(err, crm.ErrConflict), "got %v", err)
}

func catalogInvariants(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	valid, err := catalog.NewVehicle(e.dealer, card(testVIN(1), "Kia", "Rio", 2024, "100"), Epoch)
	require.NoError(t, err)
	for _, c := range []struct {
		name   string
		field  string
		break_ func(v *catalog.Vehicle)
	}{
		{"UnknownStatus", "status", func(v *catalog.Vehicle) { v.Status = "lost" }},
		{"UnknownCondition", "condition", func(v *catalog.Vehicle) { v.Condition = "" }},
		{"NegativePrice", "list_price", func(v *catalog.Vehicle) { v.Finance.ListPrice = crm.MustMoney("-1", "RUB") }},
		{"NegativeCost", "cost", func(v *catalog.Vehicle) { v.Finance.Cost = crm.MustMoney("-0.01", "RUB") }},
		{"NegativeMileage", "mileage", func(v *catalog.Vehicle) { v.Mileage = -5 }},
		{"VATRateOne", "vat_rate", func(v *catalog.Vehicle) { v.Finance.VATRate = decimal.NewFromInt(1) }},
		// PostgreSQL keeps one currency per card: an amount in another would silently change currency.
		{"CostInOtherCurrency", "cost", func(v *catalog.Vehicle) { v.Finance.Cost = crm.MustMoney("10", "USD") }},
		{"DiscountInOtherCurrency", "discount", func(v *catalog.Vehicle) { v.Finance.Discount = crm.MustMoney("10", "EUR") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := valid.Clone()
			v.ID = crm.NewID()
			c.break_(&v)
			err := crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Vehicles().Create(ctx, &v) })
			assert.True(t, errors.Is(err, crm.ErrInvalid), "create: got %v", err)
			var named []string
			for _, f := range crm.FieldsOf(v.Invariants()) {
				named = append(named, f.Field)
			}
			assert.Contains(t, named, c.field, "the broken field is named")

			ok := valid.Clone()
			ok.ID, ok.VIN = crm.NewID(), ""
			require.NoError(t, crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Vehicles().Create(ctx, &ok) }))
			c.break_(&ok)
			err = crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Vehicles().Update(ctx, &ok) })
			assert.True(t, errors.Is(err, crm.ErrInvalid), "update: got %v", err)
		})
	}
}

func catalogIsolation(t *testing.T, b Backend) {
	a := newCatalogEnv(t, b, "A")
	bb := newCatalogEnv(t, b, "B")
	v := a.create(t, card(testVIN(1), "Kia", "Rio", 2024, "1"))
	p, err := a.svc.CreatePart(a.ctx, catalog.Part{Number: "1", Name: "Фильтр", Quantity: 1})
	require.NoError(t, err)
	item, err := a.svc.CreateLabour(a.ctx, catalog.Labour{Code: "OIL", Name: "Замена масла"})
	require.NoError(t, err)

	_, err = bb.svc.GetVehicle(bb.ctx, v.ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	_, err = bb.svc.UpdateVehicle(bb.ctx, v.ID, v.Version, v)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	err = crm.NewUnit[catalog.Stores](b, nil).Update(bb.ctx, func(ctx context.Context, s catalog.Stores) error {
		w := v
		return s.Vehicles().Update(ctx, &w)
	})
	assert.Error(t, err)
	_, err = bb.svc.SetVehicleStatus(bb.ctx, v.ID, 0, catalog.StatusUnavailable)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	page, err := bb.svc.SearchVehicles(bb.ctx, catalog.VehicleQuery{})
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	_, err = bb.svc.GetPart(bb.ctx, p.ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	_, err = bb.svc.AdjustPartStock(bb.ctx, p.ID, 0, -1)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	parts, err := bb.svc.SearchParts(bb.ctx, catalog.PartQuery{})
	require.NoError(t, err)
	assert.Empty(t, parts.Items)
	_, err = bb.svc.GetLabour(bb.ctx, item.ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	items, err := bb.svc.ListLabours(bb.ctx)
	require.NoError(t, err)
	assert.Empty(t, items)
	// Dealer A still sees its own, unchanged.
	assert.Equal(t, catalog.StatusInStock, a.get(t, v.ID).Status)

	// Without a dealer in the context nothing is reached.
	for name, call := range map[string]func(ctx context.Context) error{
		"GetVehicle": func(ctx context.Context) error { _, err := a.svc.GetVehicle(ctx, v.ID); return err },
		"Search": func(ctx context.Context) error {
			_, err := a.svc.SearchVehicles(ctx, catalog.VehicleQuery{})
			return err
		},
		"GetPart": func(ctx context.Context) error { _, err := a.svc.GetPart(ctx, p.ID); return err },
		"List":    func(ctx context.Context) error { _, err := a.svc.ListLabours(ctx); return err },
		"Create": func(ctx context.Context) error {
			_, err := a.svc.CreateVehicle(ctx, card(testVIN(2), "Kia", "Rio", 2024, "1"))
			return err
		},
	} {
		err := call(context.Background())
		assert.True(t, errors.Is(err, crm.ErrForbidden), "%s: got %v", name, err)
	}
}

func catalogRollback(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	boom := errors.New("boom")
	var v catalog.Vehicle
	err := crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error {
		var err error
		v, err = catalog.NewVehicle(e.dealer, card(testVIN(1), "Kia", "Rio", 2024, "1"), Epoch)
		if err != nil {
			return err
		}
		if err := s.Vehicles().Create(ctx, &v); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	_, err = e.svc.GetVehicle(e.ctx, v.ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	// The VIN is free again.
	e.create(t, card(testVIN(1), "Kia", "Rio", 2024, "1"))
}

func catalogStatusRules(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	in := card(testVIN(1), "Kia", "Rio", 2024, "1500000")
	in.Status = catalog.StatusInTransit
	v := e.create(t, in)
	other := e.create(t, card(testVIN(2), "Kia", "Ceed", 2024, "1700000"))
	_, err := e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForSale, RefID: crm.NewID(),
		Holder: catalog.Holder{CustomerID: crm.NewID()}})
	assert.True(t, errors.Is(err, catalog.ErrVehicleUnavailable), "in transit: got %v", err)

	v, err = e.svc.SetVehicleStatus(e.ctx, v.ID, 0, catalog.StatusInStock)
	require.NoError(t, err)
	assert.EqualValues(t, 2, v.Version)

	holder := catalog.Holder{LeadID: crm.NewID()}
	drive := crm.NewID()
	until := Epoch.Add(3 * time.Hour)
	v, err = e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: drive, Holder: holder, Until: until})
	require.NoError(t, err)
	assert.Equal(t, catalog.StatusReserved, v.Status)

	// The reserved view shows it with for whom, why and until when; the other car is not there.
	page, err := e.svc.ListReservedVehicles(e.ctx, catalog.VehicleQuery{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	got := page.Items[0]
	assert.Equal(t, v.ID, got.ID)
	require.Len(t, got.Reservations, 1)
	r := got.Reservations[0]
	assert.Equal(t, catalog.ForTestDrive, r.Purpose)
	assert.Equal(t, drive, r.RefID)
	assert.Equal(t, holder.LeadID, r.Holder.LeadID)
	assert.True(t, r.Until.Equal(until), "until %v", r.Until)
	assert.True(t, r.CreatedAt.Equal(Epoch))

	// Someone else's sale may hold it beside the drive; then nobody else can take it; a reserved car cannot be
	// withdrawn.
	sale := crm.NewID()
	_, err = e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForSale, RefID: sale,
		Holder: catalog.Holder{CustomerID: crm.NewID()}})
	require.NoError(t, err)
	_, err = e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(),
		Holder: catalog.Holder{LeadID: crm.NewID()}, Until: until})
	assert.True(t, errors.Is(err, catalog.ErrVehicleReserved), "got %v", err)
	assert.True(t, errors.Is(err, crm.ErrConflict))
	_, err = e.svc.ReleaseVehicle(e.ctx, v.ID, 0, sale)
	require.NoError(t, err)
	_, err = e.svc.SetVehicleStatus(e.ctx, v.ID, 0, catalog.StatusUnavailable)
	assert.True(t, errors.Is(err, catalog.ErrVehicleReserved), "got %v", err)
	_, err = e.svc.SetVehicleStatus(e.ctx, other.ID, 0, catalog.StatusReserved)
	assert.True(t, errors.Is(err, crm.ErrInvalid), "reserved is reached only by Reserve: got %v", err)

	// Released, it is back in stock and leaves the view.
	v, err = e.svc.ReleaseVehicle(e.ctx, v.ID, 0, drive)
	require.NoError(t, err)
	assert.Equal(t, catalog.StatusInStock, v.Status)
	assert.Empty(t, v.Reservations)
	page, err = e.svc.ListReservedVehicles(e.ctx, catalog.VehicleQuery{})
	require.NoError(t, err)
	assert.Empty(t, page.Items)

	// Sold in a unit of work (as sales does), it can be neither reserved nor moved again.
	saleID := crm.NewID()
	require.NoError(t, crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error {
		v, err := s.Vehicles().Get(ctx, v.ID)
		if err != nil {
			return err
		}
		if err := v.Sell(catalog.Holder{SaleID: saleID}, saleID, e.clock.Now()); err != nil {
			return err
		}
		return s.Vehicles().Update(ctx, &v)
	}))
	sold := e.get(t, v.ID)
	assert.Equal(t, catalog.StatusSold, sold.Status)
	assert.Equal(t, saleID, sold.SaleID)
	assert.True(t, sold.SoldAt.Equal(Epoch))
	_, err = e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForSale, RefID: crm.NewID(), Holder: holder})
	assert.True(t, errors.Is(err, catalog.ErrVehicleSold), "got %v", err)
	_, err = e.svc.SetVehicleStatus(e.ctx, v.ID, 0, catalog.StatusInStock)
	assert.True(t, errors.Is(err, catalog.ErrVehicleSold), "got %v", err)
}

// catalogConcurrentReserve: 50 goroutines reserve one vehicle for 50 different holders at once, each through a
// unit of work (Get → Reserve → Update). Exactly one wins; the others see the winner's hold (ErrVehicleReserved)
// or lose the version race (stale version); the stored vehicle holds exactly one reservation, the winner's.
func catalogConcurrentReserve(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	v := e.create(t, card(testVIN(1), "Lada", "Vesta", 2026, "1600000"))
	const n = 50
	var (
		wg     sync.WaitGroup
		start  = make(chan struct{})
		errs   = make([]error, n)
		refs   = make([]crm.ID, n)
		unit   = crm.NewUnit[catalog.Stores](b, nil)
		winner = -1
	)
	for i := range n {
		refs[i] = crm.NewID()
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = unit.Update(e.ctx, func(ctx context.Context, s catalog.Stores) error {
				got, err := s.Vehicles().Get(ctx, v.ID)
				if err != nil {
					return err
				}
				r := catalog.Reservation{Purpose: catalog.ForSale, RefID: refs[i], Holder: catalog.Holder{CustomerID: crm.NewID()}}
				if err := got.Reserve(r, Epoch); err != nil {
					return err
				}
				return s.Vehicles().Update(ctx, &got)
			})
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		switch {
		case err == nil:
			assert.Equal(t, -1, winner, "two winners: %d and %d", winner, i)
			winner = i
		case errors.Is(err, catalog.ErrVehicleReserved), errors.Is(err, crm.ErrStaleVersion):
		default:
			t.Errorf("goroutine %d: unexpected error %v", i, err)
		}
	}
	require.NotEqual(t, -1, winner, "nobody won")
	got := e.get(t, v.ID)
	assert.Equal(t, catalog.StatusReserved, got.Status)
	require.Len(t, got.Reservations, 1)
	assert.Equal(t, refs[winner], got.Reservations[0].RefID)
	assert.EqualValues(t, 2, got.Version)
}

// searchSet creates a fixed set of vehicles for the search tests and returns them as stored.
func searchSet(t *testing.T, e *catalogEnv) []catalog.Vehicle {
	t.Helper()
	type spec struct {
		make_, model, trim string
		year               int
		price              string
		status             catalog.Status
	}
	specs := []spec{
		{"Lada", "Vesta", "Comfort", 2024, "1500000", catalog.StatusInStock},
		{"Lada", "Vesta", "Luxe", 2025, "1750000", catalog.StatusInStock},
		{"LADA", "vesta", "comfort", 2025, "1500000", catalog.StatusInTransit},
		{"Lada", "Granta", "Classic", 2023, "900000", catalog.StatusInStock},
		{"Lada", "Niva Travel", "", 2022, "1200000.50", catalog.StatusUnavailable},
		{"Kia", "Rio", "Prestige", 2020, "1100000", catalog.StatusInStock},
		{"Kia", "Rio", "Comfort", 2021, "1150000", catalog.StatusReserved},
		{"Kia", "Ceed", "Luxe", 2019, "1300000", catalog.StatusSold},
		{"Škoda", "Octavia", "Style", 2018, "1250000", catalog.StatusInStock},
		{"ŠKODA", "Octavia", "Ambition", 2017, "990000", catalog.StatusInStock},
		{"Москвич", "3", "Люкс", 2024, "2000000", catalog.StatusInStock},
		{"МОСКВИЧ", "3e", "", 2023, "2500000", catalog.StatusReserved},
		{"Haval", "Jolion", "Premium", 2024, "1750000", catalog.StatusInStock},
		{"Haval", "F7", "Tech_Plus", 2024, "2300000", catalog.StatusInStock},
		{"Haval", "F7x", "Tech%Plus", 2023, "2300000", catalog.StatusInStock},
		{"Chery", "Tiggo 7 Pro", "Prestige", 2024, "2150000", catalog.StatusInStock},
		{"Chery", "Tiggo 4", "", 2022, "1500000", catalog.StatusSold},
		{"Geely", "Coolray", "Flagship", 2021, "1750000", catalog.StatusInStock},
	}
	out := make([]catalog.Vehicle, 0, len(specs))
	for i, s := range specs {
		c := card(testVIN(1000+i), s.make_, s.model, s.year, s.price)
		c.Trim = s.trim
		if s.status == catalog.StatusInTransit || s.status == catalog.StatusUnavailable {
			c.Status = s.status
		}
		// Pairs share a creation time, so the ID tie-break is exercised.
		e.clock.Set(Epoch.Add(time.Duration(i/2) * time.Minute))
		v := e.create(t, c)
		switch s.status {
		case catalog.StatusReserved:
			var err error
			v, err = e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForSale, RefID: crm.NewID(),
				Holder: catalog.Holder{CustomerID: crm.NewID()}})
			require.NoError(t, err)
		case catalog.StatusSold:
			require.NoError(t, crm.NewUnit[catalog.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, st catalog.Stores) error {
				got, err := st.Vehicles().Get(ctx, v.ID)
				if err != nil {
					return err
				}
				sale := crm.NewID()
				if err := got.Sell(catalog.Holder{SaleID: sale}, sale, e.clock.Now()); err != nil {
					return err
				}
				v = got
				return st.Vehicles().Update(ctx, &v)
			}))
		}
		out = append(out, v)
	}
	return out
}

// searchAll follows the cursors of q to the end and returns the IDs in order.
func searchAll(t *testing.T, e *catalogEnv, q catalog.VehicleQuery) []crm.ID {
	t.Helper()
	var ids []crm.ID
	for range 1000 {
		page, err := e.svc.SearchVehicles(e.ctx, q)
		require.NoError(t, err)
		lim := crm.PageLimit(q.Limit)
		require.LessOrEqual(t, len(page.Items), lim)
		for _, v := range page.Items {
			ids = append(ids, v.ID)
		}
		if page.NextCursor == "" {
			return ids
		}
		require.Len(t, page.Items, lim, "a page with a next cursor is full")
		q.Cursor = page.NextCursor
	}
	t.Fatal("search did not end")
	return nil
}

// expected computes q over all with the catalog's reference semantics.
func expected(t *testing.T, all []catalog.Vehicle, q catalog.VehicleQuery) []crm.ID {
	t.Helper()
	pq, _, err := q.Prepare()
	require.NoError(t, err)
	var keep []*catalog.Vehicle
	for i := range all {
		if pq.Match(&all[i]) {
			keep = append(keep, &all[i])
		}
	}
	slices.SortFunc(keep, pq.Compare)
	ids := make([]crm.ID, len(keep))
	for i, v := range keep {
		ids[i] = v.ID
	}
	return ids
}

func dec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func catalogSearchFilters(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	all := searchSet(t, e)
	noise := newCatalogEnv(t, b, "Другой дилер")
	noise.create(t, card(testVIN(1000), "Lada", "Vesta", 2024, "1500000")) // same VIN and make at another dealer

	vins := func(ids []crm.ID) []string {
		byID := map[crm.ID]catalog.VIN{}
		for _, v := range all {
			byID[v.ID] = v.VIN
		}
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = string(byID[id])[13:] // the last four digits name the spec: 1000 + index
		}
		return out
	}
	// Explicit answers (last four VIN digits, in order), so that the reference itself is checked.
	for _, c := range []struct {
		name string
		q    catalog.VehicleQuery
		want []string
	}{
		{"All", catalog.VehicleQuery{Limit: 500}, nil},
		{"MakeCaseInsensitive", catalog.VehicleQuery{Make: "lada", Sort: catalog.SortYear}, []string{"1004", "1003", "1000", "1001", "1002"}},
		{"MakeModelTrim", catalog.VehicleQuery{Make: "LADA", Model: "Vesta", Trim: "COMFORT"}, []string{"1000", "1002"}},
		{"CyrillicMake", catalog.VehicleQuery{Make: "москвич"}, []string{"1010", "1011"}},
		{"NonASCIIFold", catalog.VehicleQuery{Make: "škoda", Sort: catalog.SortPrice}, []string{"1009", "1008"}},
		{"Statuses", catalog.VehicleQuery{Status: []catalog.Status{catalog.StatusReserved, catalog.StatusSold}, Sort: catalog.SortPrice, Desc: true},
			[]string{"1011", "1016", "1007", "1006"}},
		{"YearRange", catalog.VehicleQuery{YearFrom: 2017, YearTo: 2019, Sort: catalog.SortYear}, []string{"1009", "1008", "1007"}},
		{"PriceRangeInclusive", catalog.VehicleQuery{PriceFrom: dec("1500000"), PriceTo: dec("1750000"), Make: "Lada", Sort: catalog.SortPrice},
			nil},
		{"TextOverModel", catalog.VehicleQuery{Text: "TIGGO"}, []string{"1015", "1016"}},
		{"TextAcrossFields", catalog.VehicleQuery{Text: "rio prest"}, []string{"1005"}},
		{"TextOverVIN", catalog.VehicleQuery{Text: "xta00000000001013"}, []string{"1013"}},
		{"TextUnderscoreIsLiteral", catalog.VehicleQuery{Text: "tech_"}, []string{"1013"}},
		{"TextPercentIsLiteral", catalog.VehicleQuery{Text: "tech%"}, []string{"1014"}},
		{"TextCyrillic", catalog.VehicleQuery{Text: "ЛЮКС"}, []string{"1010"}},
		{"TextTrimmed", catalog.VehicleQuery{Text: "  tiggo 7 "}, []string{"1015"}},
		{"TextCyrillicAcrossFields", catalog.VehicleQuery{Text: "москвич 3 л"}, []string{"1010"}},
		{"TextEmptyTrimTwoSpaces", catalog.VehicleQuery{Text: "travel  xta"}, []string{"1004"}},
		{"TextShorterThanATrigram", catalog.VehicleQuery{Text: "F7"}, []string{"1013", "1014"}},
		{"TextEveryTrigramButNotTheText", catalog.VehicleQuery{Text: "esta vest"}, []string{}},
		{"TextNoSuchTrigram", catalog.VehicleQuery{Text: "qqq"}, []string{}},
		{"NothingMatches", catalog.VehicleQuery{Make: "Tesla"}, []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := expected(t, all, c.q)
			got := searchAll(t, e, c.q)
			assert.Equal(t, vins(want), vins(got))
			if c.want != nil { // explicit answers as sets: ties in the sort key fall in ID order
				assert.ElementsMatch(t, c.want, vins(got))
			}
		})
	}
	t.Run("PriceRangeExplicit", func(t *testing.T) {
		got := vins(searchAll(t, e, catalog.VehicleQuery{PriceFrom: dec("1500000"), PriceTo: dec("1750000"), Make: "Lada", Sort: catalog.SortPrice}))
		require.Len(t, got, 3)
		assert.ElementsMatch(t, []string{"1000", "1002"}, got[:2], "the two at 1,500,000 first, in ID order")
		assert.Equal(t, "1001", got[2])
	})

	// Every combination the reference can tell apart, paged in small pages, equals the reference (and so the
	// other adapter).
	rng := rand.New(rand.NewPCG(1, 2))
	makes := []string{"", "", "lada", "KIA", "Haval", "москвич", "škoda"}
	models := []string{"", "", "", "vesta", "Rio", "F7"}
	texts := []string{"", "", "", "a", "es", "tig", "1", "XTA0000000000101", "ком", "Люкс"}
	statuses := []catalog.Status{catalog.StatusInStock, catalog.StatusInTransit, catalog.StatusReserved, catalog.StatusSold, catalog.StatusUnavailable}
	sorts := []catalog.VehicleSort{catalog.SortCreated, catalog.SortPrice, catalog.SortYear}
	for i := range 60 {
		q := catalog.VehicleQuery{Make: makes[rng.IntN(len(makes))], Model: models[rng.IntN(len(models))],
			Text: texts[rng.IntN(len(texts))], Sort: sorts[rng.IntN(len(sorts))], Desc: rng.IntN(2) == 0, Limit: 1 + rng.IntN(4)}
		for _, s := range statuses {
			if rng.IntN(4) == 0 {
				q.Status = append(q.Status, s)
			}
		}
		if rng.IntN(3) == 0 {
			q.YearFrom = 2018 + rng.IntN(4)
		}
		if rng.IntN(3) == 0 {
			q.YearTo = 2021 + rng.IntN(5)
		}
		if rng.IntN(3) == 0 {
			q.PriceFrom = dec(fmt.Sprint(900000 + 100000*rng.IntN(10)))
		}
		if rng.IntN(3) == 0 {
			q.PriceTo = dec(fmt.Sprint(1500000 + 250000*rng.IntN(5)))
		}
		if q.PriceFrom != nil && q.PriceTo != nil && q.PriceFrom.GreaterThan(*q.PriceTo) {
			q.PriceFrom, q.PriceTo = q.PriceTo, q.PriceFrom
		}
		assert.Equal(t, vins(expected(t, all, q)), vins(searchAll(t, e, q)), "query %d: %+v", i, q)
	}
}

// catalogKeysetStable pages through vehicles while others are inserted before and after the cursor: every
// vehicle present from the start is returned exactly once, nothing twice, and the order never goes back.
func catalogKeysetStable(t *testing.T, b Backend) {
	for _, q := range []catalog.VehicleQuery{
		{Limit: 4, Sort: catalog.SortCreated},
		{Limit: 3, Sort: catalog.SortPrice, Desc: true},
		{Limit: 5, Sort: catalog.SortYear, Make: "kia"},
	} {
		t.Run(fmt.Sprintf("%s-desc=%v", q.Sort, q.Desc), func(t *testing.T) {
			e := newCatalogEnv(t, b, "A")
			var originals []crm.ID
			for i := range 25 {
				e.clock.Set(Epoch.Add(time.Duration(i) * time.Minute))
				v := e.create(t, card(testVIN(i), "Kia", "Rio", 2015+i%8, fmt.Sprint(1000000+10000*(i%7))))
				originals = append(originals, v.ID)
			}
			seen := map[crm.ID]int{}
			pq, _, err := q.Prepare()
			require.NoError(t, err)
			var last *catalog.Vehicle
			next := 100
			for pages := 0; ; pages++ {
				require.Less(t, pages, 100)
				page, err := e.svc.SearchVehicles(e.ctx, q)
				require.NoError(t, err)
				for i := range page.Items {
					v := &page.Items[i]
					seen[v.ID]++
					if last != nil {
						assert.Positive(t, pq.Compare(v, last), "order went back")
					}
					last = v
				}
				if page.NextCursor == "" {
					break
				}
				q.Cursor = page.NextCursor
				// Insert one vehicle that sorts before the cursor and one that may sort after it.
				e.clock.Set(Epoch.Add(-time.Duration(next) * time.Minute))
				e.create(t, card(testVIN(next), "Kia", "Rio", 2010, "5000000"))
				e.clock.Set(Epoch.Add(time.Duration(next) * time.Minute))
				e.create(t, card(testVIN(next+1), "Kia", "Rio", 2027, "1"))
				next += 2
			}
			for _, id := range originals {
				assert.Equal(t, 1, seen[id], "vehicle %s seen %d times", id, seen[id])
			}
			for id, n := range seen {
				assert.Equal(t, 1, n, "vehicle %s seen %d times", id, n)
			}
		})
	}
	t.Run("DefaultAndMaximumLimit", func(t *testing.T) {
		e := newCatalogEnv(t, b, "A")
		require.NoError(t, crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error {
			for i := range 55 {
				v, err := catalog.NewVehicle(e.dealer, card(testVIN(i), "Kia", "Rio", 2020, "1"), Epoch)
				if err != nil {
					return err
				}
				if err := s.Vehicles().Create(ctx, &v); err != nil {
					return err
				}
			}
			return nil
		}))
		page, err := e.svc.SearchVehicles(e.ctx, catalog.VehicleQuery{})
		require.NoError(t, err)
		assert.Len(t, page.Items, 50)
		assert.NotEmpty(t, page.NextCursor)
		page, err = e.svc.SearchVehicles(e.ctx, catalog.VehicleQuery{Limit: 10_000})
		require.NoError(t, err)
		assert.Len(t, page.Items, 55)
		assert.Empty(t, page.NextCursor)
	})
}

func catalogSearchInvalid(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	for i := range 3 {
		e.create(t, card(testVIN(i), "Kia", "Rio", 2020, "1"))
	}
	page, err := e.svc.SearchVehicles(e.ctx, catalog.VehicleQuery{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, page.NextCursor)
	for _, c := range []struct {
		name, field string
		q           catalog.VehicleQuery
	}{
		{"UnknownSort", "sort", catalog.VehicleQuery{Sort: "colour"}},
		{"UnknownStatus", "status", catalog.VehicleQuery{Status: []catalog.Status{"lost"}}},
		{"YearsReversed", "year_to", catalog.VehicleQuery{YearFrom: 2024, YearTo: 2020}},
		{"PricesReversed", "price_to", catalog.VehicleQuery{PriceFrom: dec("2"), PriceTo: dec("1")}},
		{"GarbageCursor", "cursor", catalog.VehicleQuery{Cursor: "not a cursor!"}},
		{"CursorOfAnotherOrder", "cursor", catalog.VehicleQuery{Sort: catalog.SortPrice, Cursor: page.NextCursor}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.SearchVehicles(e.ctx, c.q)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "service: got %v", err)
			assert.Contains(t, fieldNames(err), c.field)
			err = crm.NewUnit[catalog.Stores](b, nil).View(e.ctx, func(ctx context.Context, s catalog.Stores) error {
				_, err := s.Vehicles().Search(ctx, c.q)
				return err
			})
			assert.True(t, errors.Is(err, crm.ErrInvalid), "store: got %v", err)
		})
	}
}

func catalogParts(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	p, err := e.svc.CreatePart(e.ctx, catalog.Part{Number: " 21080-1012005-08 ", Name: "Фильтр масляный",
		CompatibleModels: []string{"Vesta", " Granta", "", "Vesta"}, Quantity: 10, Price: crm.MustMoney("450.00", "RUB")})
	require.NoError(t, err)
	assert.EqualValues(t, 1, p.Version)
	assert.Equal(t, "21080-1012005-08", p.Number)
	assert.Equal(t, []string{"Vesta", "Granta"}, p.CompatibleModels)
	got, err := e.svc.GetPart(e.ctx, p.ID)
	require.NoError(t, err)
	sameJSON(t, p, got)

	// Duplicate numbers conflict; invalid parts name the fields.
	_, err = e.svc.CreatePart(e.ctx, catalog.Part{Number: "21080-1012005-08", Name: "Другой", Quantity: 1})
	assert.True(t, errors.Is(err, crm.ErrConflict), "got %v", err)
	_, err = e.svc.CreatePart(e.ctx, catalog.Part{Quantity: -1, Price: crm.MustMoney("-1", "RUB")})
	assert.True(t, errors.Is(err, crm.ErrInvalid), "got %v", err)
	assert.Subset(t, fieldNames(err), []string{"number", "name", "quantity", "price"})

	// Stock moves under the row lock and never below zero.
	p, err = e.svc.AdjustPartStock(e.ctx, p.ID, 0, -4)
	require.NoError(t, err)
	assert.Equal(t, 6, p.Quantity)
	assert.EqualValues(t, 2, p.Version)
	_, err = e.svc.AdjustPartStock(e.ctx, p.ID, 0, -7)
	assert.True(t, errors.Is(err, catalog.ErrInsufficientStock), "got %v", err)
	assert.True(t, errors.Is(err, crm.ErrConflict))
	got, err = e.svc.GetPart(e.ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, 6, got.Quantity)

	// Update edits the card but not the quantity; a stale version is refused.
	edit := p
	edit.Name, edit.Quantity, edit.Price = "Фильтр масляный (оригинал)", 1000, crm.MustMoney("520", "RUB")
	up, err := e.svc.UpdatePart(e.ctx, edit.ID, edit.Version, edit)
	require.NoError(t, err)
	assert.Equal(t, 6, up.Quantity)
	assert.EqualValues(t, 3, up.Version)
	_, err = e.svc.UpdatePart(e.ctx, edit.ID, edit.Version, edit)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
	err = crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Parts().Update(ctx, &edit) })
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
	bad := up
	bad.Quantity = -1
	err = crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Parts().Update(ctx, &bad) })
	assert.True(t, errors.Is(err, crm.ErrInvalid), "the store refuses a negative quantity: got %v", err)

	// Search: text over number and name, compatible model, in stock, ordered by number, paged.
	for i, spec := range []struct {
		number, name string
		models       []string
		qty          int
	}{
		{"8450000001", "Колодки тормозные", []string{"Vesta"}, 4},
		{"8450000002", "Свеча зажигания", []string{"VESTA", "Granta"}, 0},
		{"A-100_X", "Щётка стеклоочистителя", []string{"Rio"}, 2},
		{"A-100%X", "Wiper blade", []string{"rio"}, 1},
		{"B-200", "Масло моторное 5W-40", nil, 50},
	} {
		_, err := e.svc.CreatePart(e.ctx, catalog.Part{Number: spec.number, Name: spec.name, CompatibleModels: spec.models,
			Quantity: spec.qty, Price: crm.MustMoney(fmt.Sprint(100*(i+1)), "RUB")})
		require.NoError(t, err)
	}
	searchParts := func(q catalog.PartQuery) []string {
		var out []string
		for range 100 {
			page, err := e.svc.SearchParts(e.ctx, q)
			require.NoError(t, err)
			for _, p := range page.Items {
				out = append(out, p.Number)
			}
			if page.NextCursor == "" {
				return out
			}
			q.Cursor = page.NextCursor
		}
		t.Fatal("part search did not end")
		return nil
	}
	for _, c := range []struct {
		name string
		q    catalog.PartQuery
		want []string
	}{
		{"All", catalog.PartQuery{Limit: 2}, []string{"21080-1012005-08", "8450000001", "8450000002", "A-100%X", "A-100_X", "B-200"}},
		{"Model", catalog.PartQuery{Model: "vesta"}, []string{"21080-1012005-08", "8450000001", "8450000002"}},
		{"ModelInStock", catalog.PartQuery{Model: "Vesta", InStock: true, Limit: 1}, []string{"21080-1012005-08", "8450000001"}},
		{"TextName", catalog.PartQuery{Text: "ФИЛЬТР"}, []string{"21080-1012005-08"}},
		{"TextNumber", catalog.PartQuery{Text: "845000000"}, []string{"8450000001", "8450000002"}},
		{"TextUnderscoreLiteral", catalog.PartQuery{Text: "100_"}, []string{"A-100_X"}},
		{"TextCaseInsensitive", catalog.PartQuery{Text: "WIPER"}, []string{"A-100%X"}},
	} {
		t.Run("Search"+c.name, func(t *testing.T) { assert.Equal(t, c.want, searchParts(c.q)) })
	}
	_, err = e.svc.SearchParts(e.ctx, catalog.PartQuery{Cursor: "###"})
	assert.True(t, errors.Is(err, crm.ErrInvalid), "got %v", err)
}

// catalogConcurrentStock: 50 goroutines each take one of 30 parts at once; exactly 30 succeed and the stock ends
// at zero, never below.
func catalogConcurrentStock(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	p, err := e.svc.CreatePart(e.ctx, catalog.Part{Number: "X1", Name: "Фильтр", Quantity: 30})
	require.NoError(t, err)
	const n = 50
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.AdjustPartStock(e.ctx, p.ID, 0, -1)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			assert.True(t, errors.Is(err, catalog.ErrInsufficientStock), "got %v", err)
		}
	}
	assert.Equal(t, 30, ok)
	got, err := e.svc.GetPart(e.ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, 0, got.Quantity)
	assert.EqualValues(t, 31, got.Version)
}

func catalogLabours(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	oil, err := e.svc.CreateLabour(e.ctx, catalog.Labour{Code: " to-1 ", Name: "ТО-1: замена масла и фильтра",
		LabourHours: decimal.RequireFromString("1.5"), Price: crm.MustMoney("4500", "RUB")})
	require.NoError(t, err)
	assert.Equal(t, "TO-1", oil.Code)
	assert.EqualValues(t, 1, oil.Version)
	got, err := e.svc.GetLabour(e.ctx, oil.ID)
	require.NoError(t, err)
	sameJSON(t, oil, got)
	align, err := e.svc.CreateLabour(e.ctx, catalog.Labour{Code: "ALIGN", Name: "Развал-схождение",
		LabourHours: decimal.NewFromInt(1), Price: crm.MustMoney("2500", "RUB")})
	require.NoError(t, err)

	_, err = e.svc.CreateLabour(e.ctx, catalog.Labour{Code: "TO-1", Name: "Дубль"})
	assert.True(t, errors.Is(err, crm.ErrConflict), "got %v", err)
	_, err = e.svc.CreateLabour(e.ctx, catalog.Labour{LabourHours: decimal.NewFromInt(-1)})
	assert.True(t, errors.Is(err, crm.ErrInvalid), "got %v", err)
	assert.Subset(t, fieldNames(err), []string{"code", "name", "labour_hours"})

	list, err := e.svc.ListLabours(e.ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, []string{"ALIGN", "TO-1"}, []string{list[0].Code, list[1].Code})

	edit := align
	edit.Price = crm.MustMoney("2700", "RUB")
	up, err := e.svc.UpdateLabour(e.ctx, edit.ID, edit.Version, edit)
	require.NoError(t, err)
	assert.EqualValues(t, 2, up.Version)
	assert.True(t, up.Price.Equal(crm.MustMoney("2700", "RUB")))
	_, err = e.svc.UpdateLabour(e.ctx, edit.ID, edit.Version, edit)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
	err = crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Labours().Update(ctx, &edit) })
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
	up.Code = "TO-1"
	_, err = e.svc.UpdateLabour(e.ctx, up.ID, up.Version, up)
	assert.True(t, errors.Is(err, crm.ErrConflict), "got %v", err)
	bad := up
	bad.Code, bad.Price = "ALIGN", crm.MustMoney("-5", "RUB")
	err = crm.NewUnit[catalog.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Labours().Update(ctx, &bad) })
	assert.True(t, errors.Is(err, crm.ErrInvalid), "got %v", err)
}

// catalogExpiredReservations: a reservation whose Until has passed holds nothing. It cannot be made already
// expired (the car would be "reserved" for nobody), and once expired it does not keep the car from being
// withdrawn.
func catalogExpiredReservations(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "A")
	v := e.create(t, card(testVIN(1), "Kia", "Rio", 2024, "1500000"))
	holder := catalog.Holder{LeadID: crm.NewID()}

	_, err := e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForSale, RefID: crm.NewID(),
		Holder: holder, Until: Epoch.Add(-time.Minute)})
	assert.True(t, errors.Is(err, crm.ErrInvalid), "until in the past: got %v", err)
	_, err = e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForSale, RefID: crm.NewID(),
		Holder: holder, Until: Epoch})
	assert.True(t, errors.Is(err, crm.ErrInvalid), "until now (exclusive): got %v", err)
	got := e.get(t, v.ID)
	assert.Equal(t, catalog.StatusInStock, got.Status)
	assert.Empty(t, got.Reservations)

	_, err = e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(),
		Holder: holder, Until: Epoch.Add(time.Hour)})
	require.NoError(t, err)
	_, err = e.svc.SetVehicleStatus(e.ctx, v.ID, 0, catalog.StatusUnavailable)
	assert.True(t, errors.Is(err, catalog.ErrVehicleReserved), "still held: got %v", err)

	e.clock.Advance(time.Hour) // Until is exclusive: the hold has ended
	got, err = e.svc.SetVehicleStatus(e.ctx, v.ID, 0, catalog.StatusUnavailable)
	require.NoError(t, err, "an expired reservation holds nothing")
	assert.Equal(t, catalog.StatusUnavailable, got.Status)
	assert.Empty(t, got.Reservations)
}

package catalog_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	now      = time.Date(2026, 11, 27, 9, 0, 0, 123456789, time.UTC)
	lenient  = crm.Dealer{Meta: crm.Meta{ID: crm.NewID()}, Name: "Север", Currency: "RUB"}
	strictNA = crm.Dealer{Meta: crm.Meta{ID: crm.NewID()}, Name: "North", Currency: "USD", StrictVIN: true}
)

func validCard() catalog.Vehicle {
	return catalog.Vehicle{VIN: "XTA210990Y2766389", Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026,
		Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB")}}
}

func fields(err error) []string {
	var out []string
	for _, f := range crm.FieldsOf(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestNewVehicleDefaultsAndNormalises(t *testing.T) {
	in := validCard()
	in.VIN, in.Make, in.Location = " xta210990y2766389 ", " Lada ", " Площадка 1 "
	in.Insurance.ValidFrom = time.Date(2026, 1, 1, 12, 0, 0, 0, time.FixedZone("MSK", 3*3600))
	v, err := catalog.NewVehicle(lenient, in, now)
	require.NoError(t, err)
	assert.Equal(t, catalog.VIN("XTA210990Y2766389"), v.VIN)
	assert.Equal(t, "Lada", v.Make)
	assert.Equal(t, "Площадка 1", v.Location)
	assert.Equal(t, catalog.New, v.Condition)
	assert.Equal(t, catalog.StatusInStock, v.Status)
	assert.Equal(t, lenient.ID, v.DealerID)
	assert.NotEqual(t, crm.ID{}, v.ID)
	assert.Equal(t, now.UTC(), v.CreatedAt, "the domain keeps the time it is given; stores stamp their own")
	assert.Equal(t, time.UTC, v.Insurance.ValidFrom.Location())
	for name, m := range map[string]crm.Money{"cost": v.Finance.Cost, "discount": v.Finance.Discount, "market_value": v.Finance.MarketValue} {
		assert.True(t, m.Equal(crm.Zero("RUB")), "%s = %v", name, m)
	}
	assert.NoError(t, v.Invariants())

	// Money without currency takes the dealer's.
	in = validCard()
	in.VIN, in.Finance.ListPrice = "1M8GDM9AXKP042788", crm.Money{Amount: decimal.NewFromInt(50000)}
	v, err = catalog.NewVehicle(strictNA, in, now)
	require.NoError(t, err)
	assert.Equal(t, crm.Currency("USD"), v.Finance.ListPrice.Currency)
	assert.Equal(t, crm.Currency("USD"), v.Finance.Cost.Currency)
}

func TestNewVehicleNamesBadFields(t *testing.T) {
	for _, c := range []struct {
		name   string
		dealer crm.Dealer
		change func(v *catalog.Vehicle)
		fields []string
	}{
		{"NoVIN", lenient, func(v *catalog.Vehicle) { v.VIN = " " }, []string{"vin"}},
		{"BadVINCharacter", lenient, func(v *catalog.Vehicle) { v.VIN = "XTA210990Y276638I" }, []string{"vin"}},
		{"VINWithoutCheckDigitForStrictDealer", strictNA, func(v *catalog.Vehicle) {
			v.VIN, v.Finance.ListPrice = "WVWZZZ1JZXW000001", crm.MustMoney("1", "USD")
		}, []string{"vin"}},
		{"NoMakeNoModel", lenient, func(v *catalog.Vehicle) { v.Make, v.Model = "", "  " }, []string{"make", "model"}},
		{"NoYear", lenient, func(v *catalog.Vehicle) { v.Year = 0 }, []string{"year"}},
		{"YearTooOld", lenient, func(v *catalog.Vehicle) { v.Year = 1885 }, []string{"year"}},
		{"YearTooNew", lenient, func(v *catalog.Vehicle) { v.Year = 2029 }, []string{"year"}},
		{"Condition", lenient, func(v *catalog.Vehicle) { v.Condition = "scrap" }, []string{"condition"}},
		{"Mileage", lenient, func(v *catalog.Vehicle) { v.Mileage = -1 }, []string{"mileage"}},
		{"NegativePrice", lenient, func(v *catalog.Vehicle) { v.Finance.ListPrice = crm.MustMoney("-1", "RUB") }, []string{"list_price"}},
		{"NegativeCost", lenient, func(v *catalog.Vehicle) { v.Finance.Cost = crm.MustMoney("-1", "RUB") }, []string{"cost"}},
		{"TwoCurrencies", lenient, func(v *catalog.Vehicle) { v.Finance.Cost = crm.MustMoney("1", "EUR") }, []string{"cost"}},
		{"BadCurrency", lenient, func(v *catalog.Vehicle) { v.Finance.MarketValue = crm.Money{Currency: "rubles"} }, []string{"market_value"}},
		{"BadListCurrency", lenient, func(v *catalog.Vehicle) { v.Finance.ListPrice.Currency = "R1" }, []string{"list_price"}},
		{"DiscountOverPrice", lenient, func(v *catalog.Vehicle) { v.Finance.Discount = crm.MustMoney("1500000.01", "RUB") }, []string{"discount"}},
		{"VATRate", lenient, func(v *catalog.Vehicle) { v.Finance.VATRate = decimal.NewFromInt(20) }, []string{"vat_rate"}},
		{"InsurancePeriod", lenient, func(v *catalog.Vehicle) {
			v.Insurance.ValidFrom, v.Insurance.ValidTo = now, now.Add(-time.Hour)
		}, []string{"insurance.valid_to"}},
		{"Specs", lenient, func(v *catalog.Vehicle) {
			v.Specs.Seats, v.Specs.PowerHP = -2, decimal.NewFromInt(-1)
		}, []string{"specs.seats", "specs.power_hp"}},
		{"CreatedReserved", lenient, func(v *catalog.Vehicle) { v.Status = catalog.StatusReserved }, []string{"status"}},
		{"CreatedSold", lenient, func(v *catalog.Vehicle) { v.Status = catalog.StatusSold }, []string{"status"}},
		{"CreatedWithReservations", lenient, func(v *catalog.Vehicle) { v.Reservations = []catalog.Reservation{{}} }, []string{"reservations"}},
		{"CreatedWithSale", lenient, func(v *catalog.Vehicle) { v.SaleID = crm.NewID() }, []string{"sale_id"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := validCard()
			c.change(&in)
			_, err := catalog.NewVehicle(c.dealer, in, now)
			require.Error(t, err)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			assert.ElementsMatch(t, c.fields, fields(err), "%v", err)
		})
	}
}

func TestNewVehicleAcceptsOtherStartingStatuses(t *testing.T) {
	for _, s := range []catalog.Status{catalog.StatusInStock, catalog.StatusInTransit, catalog.StatusUnavailable} {
		in := validCard()
		in.Status = s
		v, err := catalog.NewVehicle(lenient, in, now)
		require.NoError(t, err, s)
		assert.Equal(t, s, v.Status)
	}
}

func TestVehicleEditKeepsWhatTheRulesOwn(t *testing.T) {
	v, err := catalog.NewVehicle(lenient, validCard(), now)
	require.NoError(t, err)
	require.NoError(t, v.Reserve(reservation(catalog.ForSale, catalog.Holder{CustomerID: crm.NewID()}), now))
	before := v.Clone()

	card := v
	card.Trim, card.Mileage = "Luxe", 10
	card.Status, card.Reservations, card.Meta = catalog.StatusInStock, nil, crm.Meta{}
	later := now.Add(time.Hour)
	require.NoError(t, v.Edit(lenient, card, later))
	assert.Equal(t, "Luxe", v.Trim)
	assert.Equal(t, catalog.StatusReserved, v.Status)
	assert.Equal(t, before.Reservations, v.Reservations)
	assert.Equal(t, before.ID, v.ID)
	assert.Equal(t, before.CreatedAt, v.CreatedAt)
	assert.Equal(t, before.UpdatedAt, v.UpdatedAt, "the store stamps UpdatedAt, not the rule")

	card.Make = ""
	err = v.Edit(lenient, card, later)
	assert.Equal(t, []string{"make"}, fields(err))
	assert.Equal(t, "Lada", v.Make, "a refused edit changes nothing")
}

func TestVehicleInvariants(t *testing.T) {
	v, err := catalog.NewVehicle(lenient, validCard(), now)
	require.NoError(t, err)
	for _, c := range []struct {
		field  string
		change func(v *catalog.Vehicle)
	}{
		{"status", func(v *catalog.Vehicle) { v.Status = "" }},
		{"condition", func(v *catalog.Vehicle) { v.Condition = "" }},
		{"mileage", func(v *catalog.Vehicle) { v.Mileage = -1 }},
		{"list_price", func(v *catalog.Vehicle) { v.Finance.ListPrice = crm.MustMoney("-1", "RUB") }},
		{"list_price", func(v *catalog.Vehicle) { v.Finance.ListPrice.Currency = "rub" }},
		{"discount", func(v *catalog.Vehicle) { v.Finance.Discount = crm.MustMoney("1", "EUR") }},
		{"market_value", func(v *catalog.Vehicle) { v.Finance.MarketValue = crm.Money{} }},
		{"vat_rate", func(v *catalog.Vehicle) { v.Finance.VATRate = decimal.RequireFromString("-0.1") }},
	} {
		w := v.Clone()
		c.change(&w)
		err := w.Invariants()
		assert.True(t, errors.Is(err, crm.ErrInvalid), "%s: %v", c.field, err)
		assert.Contains(t, fields(err), c.field)
	}
	// A bare card without any money (stored directly, as other domains' tests may) keeps the invariants.
	bare := catalog.Vehicle{Make: "Kia", Model: "Rio", Status: catalog.StatusInStock, Condition: catalog.Used}
	assert.NoError(t, bare.Invariants())
}

func reservation(p catalog.Purpose, h catalog.Holder) catalog.Reservation {
	return catalog.Reservation{Purpose: p, RefID: crm.NewID(), Holder: h}
}

func vehicleIn(t *testing.T, s catalog.Status) catalog.Vehicle {
	t.Helper()
	v, err := catalog.NewVehicle(lenient, validCard(), now)
	require.NoError(t, err)
	switch s {
	case catalog.StatusReserved:
		require.NoError(t, v.Reserve(reservation(catalog.ForSale, catalog.Holder{SaleID: crm.NewID()}), now))
	case catalog.StatusSold:
		require.NoError(t, v.Sell(catalog.Holder{SaleID: crm.NewID()}, crm.NewID(), now))
	case catalog.StatusInTransit, catalog.StatusUnavailable:
		require.NoError(t, v.SetStatus(s))
	}
	return v
}

func TestReserve(t *testing.T) {
	lead, customer := crm.NewID(), crm.NewID()
	for _, c := range []struct {
		name    string
		status  catalog.Status
		holder  catalog.Holder
		ref     bool
		wantErr error
	}{
		{"InStock", catalog.StatusInStock, catalog.Holder{LeadID: lead}, true, nil},
		{"ReservedBySomeoneElse", catalog.StatusReserved, catalog.Holder{LeadID: lead}, true, catalog.ErrVehicleReserved},
		{"Sold", catalog.StatusSold, catalog.Holder{LeadID: lead}, true, catalog.ErrVehicleSold},
		{"InTransit", catalog.StatusInTransit, catalog.Holder{LeadID: lead}, true, catalog.ErrVehicleUnavailable},
		{"Unavailable", catalog.StatusUnavailable, catalog.Holder{CustomerID: customer}, true, catalog.ErrVehicleUnavailable},
		{"NoHolder", catalog.StatusInStock, catalog.Holder{}, true, crm.ErrInvalid},
		{"NoRef", catalog.StatusInStock, catalog.Holder{LeadID: lead}, false, crm.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := vehicleIn(t, c.status)
			r := catalog.Reservation{Purpose: catalog.ForSale, Holder: c.holder}
			if c.ref {
				r.RefID = crm.NewID()
			}
			err := v.Reserve(r, now)
			if c.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, catalog.StatusReserved, v.Status)
				require.Len(t, v.Reservations, 1)
				assert.Equal(t, now, v.Reservations[0].CreatedAt)
				return
			}
			assert.True(t, errors.Is(err, c.wantErr), "got %v", err)
			if errors.Is(c.wantErr, crm.ErrConflict) {
				assert.True(t, errors.Is(err, crm.ErrConflict), "domain errors are conflicts")
			}
		})
	}
}

func TestReserveSameHolderAddsAndReplaces(t *testing.T) {
	lead := crm.NewID()
	v := vehicleIn(t, catalog.StatusInStock)
	drive := reservation(catalog.ForTestDrive, catalog.Holder{LeadID: lead})
	require.NoError(t, v.Reserve(drive, now))
	// The sale converted from the lead is the same holder: its hold is added beside the test drive's.
	sale := reservation(catalog.ForSale, catalog.Holder{LeadID: lead, SaleID: crm.NewID()})
	require.NoError(t, v.Reserve(sale, now))
	assert.Len(t, v.Reservations, 2)
	// Reserving again with the same reference replaces that hold (a rescheduled drive).
	drive.Until = now.Add(2 * time.Hour)
	require.NoError(t, v.Reserve(drive, now))
	require.Len(t, v.Reservations, 2)
	assert.Equal(t, now.Add(2*time.Hour), v.Reservations[0].Until)
	assert.True(t, v.HeldBy(catalog.Holder{LeadID: lead}, now))
	assert.False(t, v.HeldBy(catalog.Holder{LeadID: crm.NewID()}, now))
}

func TestReserveDropsExpiredHolds(t *testing.T) {
	v := vehicleIn(t, catalog.StatusInStock)
	old := reservation(catalog.ForTestDrive, catalog.Holder{LeadID: crm.NewID()})
	old.Until = now.Add(time.Hour)
	require.NoError(t, v.Reserve(old, now))
	later := now.Add(time.Hour) // Until is exclusive: the hold has ended
	assert.False(t, v.HeldBy(old.Holder, later))
	assert.Empty(t, v.ActiveReservations(later))
	next := reservation(catalog.ForSale, catalog.Holder{CustomerID: crm.NewID()})
	require.NoError(t, v.Reserve(next, later))
	require.Len(t, v.Reservations, 1)
	assert.Equal(t, next.RefID, v.Reservations[0].RefID)
}

func TestRelease(t *testing.T) {
	lead := crm.NewID()
	v := vehicleIn(t, catalog.StatusInStock)
	a := reservation(catalog.ForTestDrive, catalog.Holder{LeadID: lead})
	b := reservation(catalog.ForSale, catalog.Holder{LeadID: lead})
	require.NoError(t, v.Reserve(a, now))
	require.NoError(t, v.Reserve(b, now))
	shared := v // a shallow copy shares the reservations' array
	v.Release(a.RefID, now)
	assert.Equal(t, catalog.StatusReserved, v.Status, "still held by the sale")
	assert.Len(t, shared.Reservations, 2, "releasing does not write through a shared array")
	v.Release(crm.NewID(), now) // not held: no error, no change
	assert.Len(t, v.Reservations, 1)
	v.Release(b.RefID, now)
	assert.Equal(t, catalog.StatusInStock, v.Status)
	assert.Nil(t, v.Reservations)

	sold := vehicleIn(t, catalog.StatusSold)
	sold.Release(crm.NewID(), now)
	assert.Equal(t, catalog.StatusSold, sold.Status, "release never un-sells")
}

func TestSell(t *testing.T) {
	sale, lead := crm.NewID(), crm.NewID()
	buyer := catalog.Holder{LeadID: lead, SaleID: sale}
	for _, c := range []struct {
		name    string
		prepare func(t *testing.T) catalog.Vehicle
		wantErr error
	}{
		{"InStock", func(t *testing.T) catalog.Vehicle { return vehicleIn(t, catalog.StatusInStock) }, nil},
		{"HeldForTheBuyersTestDrive", func(t *testing.T) catalog.Vehicle {
			v := vehicleIn(t, catalog.StatusInStock)
			require.NoError(t, v.Reserve(reservation(catalog.ForTestDrive, catalog.Holder{LeadID: lead}), now))
			return v
		}, nil},
		{"HeldForAnothersTestDrive", func(t *testing.T) catalog.Vehicle {
			// A test drive does not stop a sale; the caller closes the drive.
			v := vehicleIn(t, catalog.StatusInStock)
			require.NoError(t, v.Reserve(reservation(catalog.ForTestDrive, catalog.Holder{LeadID: crm.NewID()}), now))
			return v
		}, nil},
		{"HeldForAnothersSale", func(t *testing.T) catalog.Vehicle {
			v := vehicleIn(t, catalog.StatusInStock)
			require.NoError(t, v.Reserve(reservation(catalog.ForSale, catalog.Holder{SaleID: crm.NewID()}), now))
			return v
		}, catalog.ErrVehicleReserved},
		{"AlreadySold", func(t *testing.T) catalog.Vehicle { return vehicleIn(t, catalog.StatusSold) }, catalog.ErrVehicleSold},
		{"InTransit", func(t *testing.T) catalog.Vehicle { return vehicleIn(t, catalog.StatusInTransit) }, catalog.ErrVehicleUnavailable},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := c.prepare(t)
			before := v.Status
			err := v.Sell(buyer, sale, now)
			if c.wantErr != nil {
				assert.True(t, errors.Is(err, c.wantErr), "got %v", err)
				assert.Equal(t, before, v.Status)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, catalog.StatusSold, v.Status)
			assert.Nil(t, v.Reservations)
			assert.Equal(t, sale, v.SaleID)
			assert.Equal(t, now, v.SoldAt)
		})
	}
}

func TestSetStatus(t *testing.T) {
	for _, from := range []catalog.Status{catalog.StatusInStock, catalog.StatusInTransit, catalog.StatusReserved,
		catalog.StatusSold, catalog.StatusUnavailable} {
		for _, to := range []catalog.Status{catalog.StatusInStock, catalog.StatusInTransit, catalog.StatusReserved,
			catalog.StatusSold, catalog.StatusUnavailable, "lost"} {
			t.Run(string(from)+"->"+string(to), func(t *testing.T) {
				v := vehicleIn(t, from)
				err := v.SetStatus(to)
				switch {
				case !slices.Contains([]catalog.Status{catalog.StatusInStock, catalog.StatusInTransit, catalog.StatusUnavailable}, to):
					assert.True(t, errors.Is(err, crm.ErrInvalid), "got %v", err)
					assert.Equal(t, []string{"status"}, fields(err))
				case from == catalog.StatusSold:
					assert.True(t, errors.Is(err, catalog.ErrVehicleSold), "got %v", err)
				case from == catalog.StatusReserved:
					assert.True(t, errors.Is(err, catalog.ErrVehicleReserved), "got %v", err)
				default:
					require.NoError(t, err)
					assert.Equal(t, to, v.Status)
					return
				}
				assert.Equal(t, from, v.Status)
			})
		}
	}
}

func TestHolderSame(t *testing.T) {
	a, b := crm.NewID(), crm.NewID()
	assert.True(t, catalog.Holder{LeadID: a}.Same(catalog.Holder{LeadID: a, SaleID: b}))
	assert.True(t, catalog.Holder{SaleID: b}.Same(catalog.Holder{LeadID: a, SaleID: b}))
	assert.False(t, catalog.Holder{LeadID: a}.Same(catalog.Holder{LeadID: b}))
	assert.False(t, catalog.Holder{}.Same(catalog.Holder{}), "nobody is not the same as nobody")
	assert.True(t, catalog.Holder{}.IsZero())
}

func TestVehicleCloneIsDeep(t *testing.T) {
	v := vehicleIn(t, catalog.StatusReserved)
	c := v.Clone()
	c.Reservations[0].RefID = crm.NewID()
	assert.NotEqual(t, c.Reservations[0].RefID, v.Reservations[0].RefID)
	assert.Equal(t, "Lada Vesta Comfort 2026", v.Name())
}

func TestNetPrice(t *testing.T) {
	f := catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB"), Discount: crm.MustMoney("50000.50", "RUB")}
	net, err := f.NetPrice()
	require.NoError(t, err)
	assert.Equal(t, "1449999.50 RUB", net.String())
}

func TestReserveTestDrivesShareTheCarASaleDoesNot(t *testing.T) {
	v := vehicleIn(t, catalog.StatusInStock)
	// Two prospects drive the demo car in their own slots.
	require.NoError(t, v.Reserve(reservation(catalog.ForTestDrive, catalog.Holder{LeadID: crm.NewID()}), now))
	require.NoError(t, v.Reserve(reservation(catalog.ForTestDrive, catalog.Holder{LeadID: crm.NewID()}), now))
	// A third prospect's sale may hold it beside their drives.
	buyer := catalog.Holder{SaleID: crm.NewID(), CustomerID: crm.NewID()}
	require.NoError(t, v.Reserve(reservation(catalog.ForSale, buyer), now))
	assert.Len(t, v.Reservations, 3)
	assert.Equal(t, catalog.StatusReserved, v.Status)
	// Once a sale holds it, nobody else reserves it: neither for a drive nor for another sale.
	for _, p := range []catalog.Purpose{catalog.ForTestDrive, catalog.ForSale} {
		err := v.Reserve(reservation(p, catalog.Holder{LeadID: crm.NewID()}), now)
		assert.True(t, errors.Is(err, catalog.ErrVehicleReserved), "%s: %v", p, err)
	}
	// The buyer's own drive is welcome.
	require.NoError(t, v.Reserve(reservation(catalog.ForTestDrive, catalog.Holder{CustomerID: buyer.CustomerID}), now))
}

// TestReserveOnSaleHoldsOnly: a vehicle read without its shared holds (VehicleStore.GetForReserve) takes a new
// hold by the same rules: another holder's sale keeps it off, another prospect's drive (not carried) does not.
func TestReserveOnSaleHoldsOnly(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	assert.True(t, catalog.ForSale.Exclusive())
	assert.False(t, catalog.ForTestDrive.Exclusive())

	v := catalog.Vehicle{Status: catalog.StatusReserved, SaleHoldsOnly: true} // others' drives are stored, not carried
	drive := catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(), Holder: catalog.Holder{LeadID: crm.NewID()},
		From: now.Add(time.Hour), Until: now.Add(2 * time.Hour)}
	require.NoError(t, v.Reserve(drive, now))
	assert.Equal(t, catalog.StatusReserved, v.Status)
	assert.Len(t, v.Reservations, 1, "only the new hold is carried, to be written")
	assert.True(t, v.SaleHoldsOnly)

	sale := catalog.Reservation{Purpose: catalog.ForSale, RefID: crm.NewID(), Holder: catalog.Holder{CustomerID: crm.NewID()}}
	require.NoError(t, v.Reserve(sale, now))
	other := drive
	other.RefID, other.Holder = crm.NewID(), catalog.Holder{LeadID: crm.NewID()}
	assert.ErrorIs(t, v.Reserve(other, now), catalog.ErrVehicleReserved, "the sale's hold is carried and keeps others off")
	require.NoError(t, v.Sell(sale.Holder, sale.RefID, now))
	assert.Equal(t, catalog.StatusSold, v.Status)
	assert.Empty(t, v.Reservations)
}

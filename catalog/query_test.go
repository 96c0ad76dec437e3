package catalog_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decimalPtr(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func TestVehicleQueryPrepare(t *testing.T) {
	q, after, err := catalog.VehicleQuery{Make: " LADA ", Text: " Vesta "}.Prepare()
	require.NoError(t, err)
	assert.Nil(t, after)
	assert.Equal(t, "lada", q.Make)
	assert.Equal(t, "vesta", q.Text)
	assert.Equal(t, catalog.SortCreated, q.Sort)
	assert.Equal(t, 50, q.Limit)

	for limit, want := range map[int]int{-1: 50, 0: 50, 1: 1, 500: 500, 501: 500, 1 << 40: 500} {
		q, _, err := catalog.VehicleQuery{Limit: limit}.Prepare()
		require.NoError(t, err)
		assert.Equal(t, want, q.Limit, "limit %d", limit)
	}

	for _, c := range []struct {
		name  string
		q     catalog.VehicleQuery
		field string
	}{
		{"Sort", catalog.VehicleQuery{Sort: "mileage"}, "sort"},
		{"Status", catalog.VehicleQuery{Status: []catalog.Status{catalog.StatusSold, "gone"}}, "status"},
		{"Years", catalog.VehicleQuery{YearFrom: 2025, YearTo: 2024}, "year_to"},
		{"Prices", catalog.VehicleQuery{PriceFrom: decimalPtr("10"), PriceTo: decimalPtr("9.99")}, "price_to"},
		{"Cursor", catalog.VehicleQuery{Cursor: "%%%"}, "cursor"},
		{"CursorNotJSON", catalog.VehicleQuery{Cursor: "bm90IGpzb24"}, "cursor"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := c.q.Prepare()
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			assert.Equal(t, []string{c.field}, fields(err))
		})
	}
}

func TestVehicleCursorRoundTrip(t *testing.T) {
	v := catalog.Vehicle{Meta: crm.Meta{ID: crm.NewID(), CreatedAt: now.Truncate(time.Microsecond)}, Year: 2024}
	v.Finance.ListPrice = crm.MustMoney("1500000.50", "RUB")
	for _, c := range []struct {
		sort catalog.VehicleSort
		desc bool
	}{{catalog.SortCreated, false}, {catalog.SortPrice, true}, {catalog.SortYear, false}} {
		q, _, err := catalog.VehicleQuery{Sort: c.sort, Desc: c.desc}.Prepare()
		require.NoError(t, err)
		q.Cursor = q.CursorAfter(&v)
		_, after, err := q.Prepare()
		require.NoError(t, err)
		require.NotNil(t, after)
		assert.Equal(t, v.ID, after.ID)
		switch c.sort {
		case catalog.SortCreated:
			assert.True(t, after.CreatedAt.Equal(v.CreatedAt))
		case catalog.SortPrice:
			assert.True(t, after.Price.Equal(v.Finance.ListPrice.Amount))
		case catalog.SortYear:
			assert.Equal(t, 2024, after.Year)
		}
		assert.False(t, q.After(&v, after), "the cursor's own vehicle is on the previous page")
		// A cursor is bound to its order.
		other := q
		other.Desc = !q.Desc
		_, _, err = other.Prepare()
		assert.Equal(t, []string{"cursor"}, fields(err))
	}
}

func TestVehicleQueryMatch(t *testing.T) {
	v := catalog.Vehicle{VIN: "XTA210990Y2766389", Make: "Škoda", Model: "Octavia", Trim: "Style", Year: 2020,
		Status: catalog.StatusReserved}
	v.Finance.ListPrice = crm.MustMoney("1250000", "RUB")
	for _, c := range []struct {
		name string
		q    catalog.VehicleQuery
		want bool
	}{
		{"NoFilter", catalog.VehicleQuery{}, true},
		{"Status", catalog.VehicleQuery{Status: []catalog.Status{catalog.StatusInStock, catalog.StatusReserved}}, true},
		{"OtherStatus", catalog.VehicleQuery{Status: []catalog.Status{catalog.StatusInStock}}, false},
		{"MakeFolded", catalog.VehicleQuery{Make: "ŠKODA"}, true},
		{"MakeIsExact", catalog.VehicleQuery{Make: "Skoda"}, false},
		{"ModelIsExact", catalog.VehicleQuery{Model: "Octa"}, false},
		{"Trim", catalog.VehicleQuery{Trim: "style"}, true},
		{"YearInRange", catalog.VehicleQuery{YearFrom: 2020, YearTo: 2020}, true},
		{"YearBelow", catalog.VehicleQuery{YearFrom: 2021}, false},
		{"YearAbove", catalog.VehicleQuery{YearTo: 2019}, false},
		{"PriceInclusive", catalog.VehicleQuery{PriceFrom: decimalPtr("1250000"), PriceTo: decimalPtr("1250000.00")}, true},
		{"PriceBelow", catalog.VehicleQuery{PriceFrom: decimalPtr("1250000.01")}, false},
		{"PriceAbove", catalog.VehicleQuery{PriceTo: decimalPtr("1249999.99")}, false},
		{"TextInVIN", catalog.VehicleQuery{Text: "y2766"}, true},
		{"TextAcrossFields", catalog.VehicleQuery{Text: "octavia sty"}, true},
		{"TextNonASCII", catalog.VehicleQuery{Text: "ŠKOD"}, true},
		{"TextMissing", catalog.VehicleQuery{Text: "rapid"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, _, err := c.q.Prepare()
			require.NoError(t, err)
			assert.Equal(t, c.want, q.Match(&v))
		})
	}
}

func TestVehicleQueryCompareIsTotal(t *testing.T) {
	ids := []crm.ID{uuid.MustParse("00000000-0000-4000-8000-000000000001"), uuid.MustParse("00000000-0000-4000-8000-000000000002")}
	mk := func(id crm.ID, price string, year int, at time.Time) catalog.Vehicle {
		v := catalog.Vehicle{Meta: crm.Meta{ID: id, CreatedAt: at}, Year: year}
		v.Finance.ListPrice = crm.MustMoney(price, "RUB")
		return v
	}
	a := mk(ids[0], "100", 2020, now)
	b := mk(ids[1], "100.00", 2020, now) // equal keys everywhere: the ID decides
	c := mk(ids[0], "99", 2021, now.Add(time.Second))
	for _, s := range []catalog.VehicleSort{catalog.SortCreated, catalog.SortPrice, catalog.SortYear} {
		q, _, err := catalog.VehicleQuery{Sort: s}.Prepare()
		require.NoError(t, err)
		assert.Negative(t, q.Compare(&a, &b), s)
		assert.Positive(t, q.Compare(&b, &a), s)
		assert.Zero(t, q.Compare(&a, &a), s)
		q.Desc = true
		assert.Positive(t, q.Compare(&a, &b), "%s desc", s)
	}
	byPrice, _, _ := catalog.VehicleQuery{Sort: catalog.SortPrice}.Prepare()
	list := []*catalog.Vehicle{&a, &b, &c}
	slices.SortFunc(list, byPrice.Compare)
	assert.Equal(t, []*catalog.Vehicle{&c, &a, &b}, list)
}

func TestPartQuery(t *testing.T) {
	p := catalog.Part{Meta: crm.Meta{ID: crm.NewID()}, Number: "A-100_X", Name: "Щётка", CompatibleModels: []string{"Rio"}, Quantity: 0}
	for _, c := range []struct {
		q    catalog.PartQuery
		want bool
	}{
		{catalog.PartQuery{}, true},
		{catalog.PartQuery{InStock: true}, false},
		{catalog.PartQuery{Model: "RIO"}, true},
		{catalog.PartQuery{Model: "Ri"}, false},
		{catalog.PartQuery{Text: "щёт"}, true},
		{catalog.PartQuery{Text: "100_x"}, true},
		{catalog.PartQuery{Text: "100%"}, false},
	} {
		q, _, err := c.q.Prepare()
		require.NoError(t, err)
		assert.Equal(t, c.want, q.Match(&p), "%+v", c.q)
	}
	q, _, err := catalog.PartQuery{Limit: 9999}.Prepare()
	require.NoError(t, err)
	assert.Equal(t, 500, q.Limit)
	q.Cursor = q.CursorAfter(&p)
	_, after, err := q.Prepare()
	require.NoError(t, err)
	assert.Equal(t, catalog.PartAfter{Number: "A-100_X", ID: p.ID}, *after)
	next := catalog.Part{Meta: crm.Meta{ID: p.ID}, Number: "B"}
	assert.True(t, q.After(&next, after))
	assert.False(t, q.After(&p, after))
	_, _, err = catalog.PartQuery{Cursor: "x"}.Prepare()
	assert.Equal(t, []string{"cursor"}, fields(err))
	vq, _, _ := catalog.VehicleQuery{}.Prepare()
	_, _, err = catalog.PartQuery{Cursor: vq.CursorAfter(&catalog.Vehicle{})}.Prepare()
	assert.Equal(t, []string{"cursor"}, fields(err), "a vehicle cursor is not a part cursor")
}

// The search's case folding is strings.ToLower's, whatever the script.
func FuzzVehicleQueryMatchFoldsLikeToLower(f *testing.F) {
	for _, s := range []string{"Škoda", "МОСКВИЧ", "Lada", "İstanbul", "ǅ", "\xff", "ß"} {
		f.Add(s, "š")
	}
	f.Fuzz(func(t *testing.T, field, text string) {
		v := catalog.Vehicle{Make: field}
		q, _, err := catalog.VehicleQuery{Make: field}.Prepare()
		require.NoError(t, err)
		trimmed := strings.TrimSpace(field)
		//lint:ignore SA6005 the rule under test is lower-casing, not Unicode case folding
		want := trimmed == "" || strings.ToLower(trimmed) == strings.ToLower(field)
		assert.Equal(t, want, q.Match(&v), "make %q", field)
		q, _, err = catalog.VehicleQuery{Text: text}.Prepare()
		require.NoError(t, err)
		want = strings.Contains(strings.ToLower(field+"   "), q.Text)
		assert.Equal(t, want, q.Match(&v), "text %q in %q", text, field)
	})
}

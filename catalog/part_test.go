package catalog_test

import (
	"errors"
	"math"
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPart(t *testing.T) {
	p, err := catalog.NewPart(lenient, catalog.Part{Number: " 8450000001 ", Name: " Колодки ",
		CompatibleModels: []string{" Vesta", "", "Granta", "Vesta "}, Quantity: 4,
		Price: crm.Money{Amount: decimal.NewFromInt(2500)}}, now)
	require.NoError(t, err)
	assert.Equal(t, "8450000001", p.Number)
	assert.Equal(t, "Колодки", p.Name)
	assert.Equal(t, []string{"Vesta", "Granta"}, p.CompatibleModels)
	assert.Equal(t, "2500.00 RUB", p.Price.String(), "the dealer's currency")
	assert.Equal(t, lenient.ID, p.DealerID)
	assert.True(t, p.CompatibleWith("VESTA"))
	assert.False(t, p.CompatibleWith("Rio"))
	lower, err := catalog.NewPart(lenient, catalog.Part{Number: "ab-1", Name: "x"}, now)
	require.NoError(t, err)
	assert.Equal(t, "AB-1", lower.Number, "part numbers are upper-case")

	for _, c := range []struct {
		name   string
		in     catalog.Part
		fields []string
	}{
		{"Empty", catalog.Part{}, []string{"number", "name"}},
		{"NegativeQuantity", catalog.Part{Number: "1", Name: "x", Quantity: -1}, []string{"quantity"}},
		{"HugeQuantity", catalog.Part{Number: "1", Name: "x", Quantity: math.MaxInt32 + 1}, []string{"quantity"}},
		{"NegativePrice", catalog.Part{Number: "1", Name: "x", Price: crm.MustMoney("-1", "RUB")}, []string{"price"}},
		{"BadCurrency", catalog.Part{Number: "1", Name: "x", Price: crm.Money{Currency: "??"}}, []string{"price"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := catalog.NewPart(lenient, c.in, now)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			assert.ElementsMatch(t, c.fields, fields(err))
		})
	}
}

func TestAdjustStock(t *testing.T) {
	for _, c := range []struct {
		name    string
		qty     int
		delta   int
		want    int
		wantErr error
	}{
		{"Receive", 0, 10, 10, nil},
		{"Issue", 10, -4, 6, nil},
		{"IssueAll", 6, -6, 0, nil},
		{"Zero", 3, 0, 3, nil},
		{"BelowZero", 3, -4, 3, catalog.ErrInsufficientStock},
		{"FromEmpty", 0, -1, 0, catalog.ErrInsufficientStock},
		{"HugeIssue", 3, math.MinInt, 3, catalog.ErrInsufficientStock},
		{"Overflow", 1, math.MaxInt32, 1, crm.ErrInvalid},
		{"HugeReceive", 0, math.MaxInt, 0, crm.ErrInvalid},
		{"UpToTheLimit", 1, math.MaxInt32 - 1, math.MaxInt32, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := catalog.Part{Number: "1", Name: "x", Quantity: c.qty}
			err := p.AdjustStock(c.delta)
			if c.wantErr != nil {
				assert.True(t, errors.Is(err, c.wantErr), "got %v", err)
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, c.want, p.Quantity)
			assert.NoError(t, p.Invariants())
		})
	}
	err := (&catalog.Part{Quantity: 1}).AdjustStock(-2)
	assert.True(t, errors.Is(err, crm.ErrConflict), "running out is a conflict with the stock")
}

func TestPartEditKeepsQuantity(t *testing.T) {
	p, err := catalog.NewPart(lenient, catalog.Part{Number: "1", Name: "x", Quantity: 5}, now)
	require.NoError(t, err)
	card := p
	card.Name, card.Quantity = "Новое имя", 100
	require.NoError(t, p.Edit(lenient, card))
	assert.Equal(t, "Новое имя", p.Name)
	assert.Equal(t, 5, p.Quantity)
	card.Name = ""
	assert.Equal(t, []string{"name"}, fields(p.Edit(lenient, card)))
	assert.Equal(t, "Новое имя", p.Name)
	c := p.Clone()
	c.CompatibleModels = append(c.CompatibleModels, "Rio")
	assert.Empty(t, p.CompatibleModels)
}

func TestPartInvariants(t *testing.T) {
	assert.Contains(t, fields((&catalog.Part{Quantity: -1}).Invariants()), "quantity")
	assert.Contains(t, fields((&catalog.Part{Price: crm.MustMoney("-1", "RUB")}).Invariants()), "price")
	assert.NoError(t, (&catalog.Part{}).Invariants())
}

func TestNewLabour(t *testing.T) {
	s, err := catalog.NewLabour(lenient, catalog.Labour{Code: " to-1 ", Name: " ТО-1 ",
		LabourHours: decimal.RequireFromString("1.5"), Price: crm.MustMoney("4500", "RUB")}, now)
	require.NoError(t, err)
	assert.Equal(t, "TO-1", s.Code)
	assert.Equal(t, "ТО-1", s.Name)
	assert.Equal(t, lenient.ID, s.DealerID)

	_, err = catalog.NewLabour(lenient, catalog.Labour{LabourHours: decimal.NewFromInt(-1),
		Price: crm.MustMoney("1", "EUR")}, now)
	assert.True(t, errors.Is(err, crm.ErrInvalid))
	assert.ElementsMatch(t, []string{"code", "name", "labour_hours"}, fields(err))
	_, err = catalog.NewLabour(lenient, catalog.Labour{Code: "A", Name: "B", Price: crm.MustMoney("-1", "RUB")}, now)
	assert.Equal(t, []string{"price"}, fields(err))

	card := s
	card.Name = "ТО-1 (расширенное)"
	require.NoError(t, s.Edit(lenient, card))
	assert.Equal(t, "ТО-1 (расширенное)", s.Name)
	card.Code = ""
	assert.Equal(t, []string{"code"}, fields(s.Edit(lenient, card)))
	assert.NoError(t, s.Invariants())
	assert.Contains(t, fields((&catalog.Labour{LabourHours: decimal.NewFromInt(-1)}).Invariants()), "labour_hours")
	assert.Contains(t, fields((&catalog.Labour{Price: crm.MustMoney("-1", "RUB")}).Invariants()), "price")
}

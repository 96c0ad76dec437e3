package catalog_test

import (
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareListsTheDifferences(t *testing.T) {
	a := comfort(t)
	b := a.Clone()
	b.Code, b.Name, b.Price = "VESTA-LUXE", "Luxe", rub("1789900.00")
	b.Specs.Transmission = "cvt"
	b.Equipment = append(b.Equipment, "Климат-контроль")
	b.Options = b.Options[:5] // no MEDIA, no NAV
	g := catalog.Generation{Name: "NG", YearFrom: 2023}
	cmp := catalog.Compare([]catalog.DirectoryEntry{{Generation: g, Configuration: a}, {Generation: g, Configuration: b}})
	byField := map[string][]string{}
	for _, d := range cmp.Differences {
		byField[d.Field] = d.Values
	}
	assert.Equal(t, []string{"Comfort", "Luxe"}, byField["name"])
	assert.Equal(t, []string{"1539900.00 RUB", "1789900.00 RUB"}, byField["price"])
	assert.Equal(t, []string{"", "cvt"}, byField["specs.transmission"])
	assert.Equal(t, []string{"", "Климат-контроль"}, byField["equipment"])
	assert.Equal(t, []string{"MEDIA 25000.00 RUB; NAV 10000.01 RUB", ""}, byField["options"])
	require.NotContains(t, byField, "make", "what is the same is not listed")
	require.NotContains(t, byField, "colors")
	require.NotContains(t, byField, "generation")
}

package postgres

import (
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// TestDirectoryDocumentsKeepStoredKeys pins the keys of the model directory's jsonb documents (migration 020)
// and checks that domain → document → JSON → domain loses nothing.
func TestDirectoryDocumentsKeepStoredKeys(t *testing.T) {
	t.Run("configuration", func(t *testing.T) {
		c := catalog.Configuration{Body: "sedan", Specs: catalog.VehicleSpecs{EngineType: "petrol I4", DisplacementCC: 1596,
			PowerKW: decimal.RequireFromString("79.4"), PowerHP: decimal.NewFromInt(108), Fuel: "petrol",
			Transmission: "manual", Drive: "fwd", Seats: 5, Doors: 4, EmissionClass: "Euro 5"},
			Equipment: []string{"ABS", "Кондиционер"}, Price: crm.MustMoney("1539900", "RUB"),
			Options: []catalog.Option{{ID: docID, Code: "WINTER", Name: "Зимний пакет", Kind: catalog.OptionPack,
				Price: crm.MustMoney("19990.50", "RUB"), Includes: []string{"A"}, Requires: []string{"B"}, Excludes: []string{"C"}}},
			Colors: []catalog.Color{{Code: "BLUE", Name: "Синий", Kind: catalog.Exterior, Surcharge: crm.MustMoney("20000.33", "RUB")}}}
		doc := configurationDocOf(c)
		wantKeys(t, doc, "body", "colors", "colors[].code", "colors[].kind", "colors[].name", "colors[].surcharge",
			"equipment", "options", "options[].code", "options[].excludes", "options[].id", "options[].includes",
			"options[].kind", "options[].name", "options[].price", "options[].requires", "specs", "specs.displacement_cc",
			"specs.doors", "specs.drive", "specs.emission_class", "specs.engine_type", "specs.fuel", "specs.power_hp",
			"specs.power_kw", "specs.seats", "specs.transmission")
		var got catalog.Configuration
		got.Price = c.Price
		roundTrip(t, doc).fill(&got, "RUB")
		equal(t, got, c)
	})
	t.Run("maintenance visits", func(t *testing.T) {
		vs := []catalog.MaintenanceVisit{{Name: "ТО-1", Works: []catalog.MaintenanceWork{
			{LabourID: docID, Name: "Замена масла", Quantity: decimal.RequireFromString("1.5")},
			{PartID: docID, Quantity: decimal.NewFromInt(1)}}}}
		wantKeys(t, maintenanceVisitDocsOf(vs), "[].name", "[].works", "[].works[].labour_id", "[].works[].name",
			"[].works[].part_id", "[].works[].quantity")
		equal(t, maintenanceVisitsOf(roundTrip(t, maintenanceVisitDocsOf(vs))), vs)
	})
	for _, v := range []any{configurationDoc{}, []maintenanceVisitDoc{}} {
		if _, err := (jsonb{v}).Value(); err != nil {
			t.Errorf("jsonb refused %T: %v", v, err)
		}
	}
}

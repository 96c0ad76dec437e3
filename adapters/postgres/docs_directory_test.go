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
	t.Run("vehicle build", func(t *testing.T) {
		b := catalog.VehicleBuild{ConfigurationID: docID, Options: []string{"WINTER"}, ExteriorColor: "BLUE",
			InteriorColor: "LEATHER", ConfigurationCode: "VESTA-COMFORT", ConfigurationVersion: 3, Equipment: []string{"ABS"},
			AllOptions: []string{"HEATED_SEATS", "WINTER"}, PricedAt: docAt, FrozenAt: docAt,
			Lines: []catalog.PriceLine{{Kind: catalog.LinePack, Code: "WINTER", Name: "Зимний пакет",
				Amount: crm.MustMoney("19990.50", "RUB")}}}
		wantKeys(t, vehicleBuildDocOf(b), "all_options", "configuration_code", "configuration_id", "configuration_version",
			"equipment", "exterior_color", "frozen_at", "interior_color", "lines", "lines[].amount", "lines[].code",
			"lines[].kind", "lines[].name", "options", "priced_at")
		equal(t, roundTrip(t, vehicleBuildDocOf(b)).value("RUB"), b)
		if v, _ := (jsonb{vehicleBuildDocOf(catalog.VehicleBuild{})}).Value(); v != "{}" {
			t.Errorf("no build stored as %v, want {}", v)
		}
	})
	for _, v := range []any{configurationDoc{}, []maintenanceVisitDoc{}, vehicleBuildDoc{}} {
		if _, err := (jsonb{v}).Value(); err != nil {
			t.Errorf("jsonb refused %T: %v", v, err)
		}
	}
}

package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// dirModel is a model of the demo directory: its make, generation and trims.
type dirModel struct {
	make, country, model, code string
	generation                 string
	yearFrom                   int
	stock                      int // index in models of the stock entry whose VIN scheme its cards use
	trims                      []dirTrim
}

// dirTrim is one configuration: name, price, technical data.
type dirTrim struct {
	name, price, body, engine string
	cc, hp                    int
	fuel, gearbox, drive      string
	equipment                 []string
}

// directory is the model directory each demo dealer keeps: three brands, four models, seven configurations.
var directory = []dirModel{
	{"Lada", "Россия", "Vesta", "GFL", "NG", 2023, 1, []dirTrim{
		{"Comfort", "1539900.00", "седан", "1.6 16V", 1596, 106, "petrol", "manual", "fwd", []string{"ABS", "ESC", "Кондиционер", "Круиз-контроль"}},
		{"Techno", "1689900.00", "седан", "1.8 16V", 1774, 122, "petrol", "cvt", "fwd", []string{"ABS", "ESC", "Климат-контроль", "Камера заднего вида", "Датчик дождя"}},
	}},
	{"Lada", "Россия", "Granta", "", "FL", 2022, 0, []dirTrim{
		{"Classic", "915000.00", "седан", "1.6 8V", 1596, 90, "petrol", "manual", "fwd", []string{"ABS", "Подушка водителя"}},
	}},
	{"Haval", "Китай", "Jolion", "", "I", 2021, 5, []dirTrim{
		{"Comfort", "2149000.00", "кроссовер", "1.5T", 1497, 143, "petrol", "robot", "fwd", []string{"ABS", "ESC", "Климат-контроль"}},
		{"Elite", "2449000.00", "кроссовер", "1.5T", 1497, 150, "petrol", "robot", "fwd", []string{"ABS", "ESC", "Климат-контроль", "Панорамная крыша", "Камера 360°"}},
	}},
	{"Geely", "Китай", "Monjaro", "", "I", 2022, 9, []dirTrim{
		{"Exclusive", "4229000.00", "кроссовер", "2.0T", 1969, 238, "petrol", "automatic", "awd", []string{"ABS", "ESC", "Кожаный салон", "Проекционный дисплей"}},
		{"Flagship", "4599000.00", "кроссовер", "2.0T", 1969, 238, "petrol", "automatic", "awd", []string{"ABS", "ESC", "Кожаный салон", "Проекционный дисплей", "Аудиосистема Bose"}},
	}},
}

// demoOptions are the options every demo configuration offers, with the rules a salesperson meets: a pack, an
// exclusion, a requirement.
func demoOptions() []catalog.Option {
	rub := func(s string) crm.Money { return crm.MustMoney(s, "RUB") }
	return []catalog.Option{
		{Code: "HEATED_SEATS", Name: "Подогрев передних сидений", Price: rub("15000.00")},
		{Code: "HEATED_WHEEL", Name: "Подогрев руля", Price: rub("8000.00")},
		{Code: "WINTER", Name: "Зимний пакет", Kind: catalog.OptionPack, Price: rub("19990.00"), Includes: []string{"HEATED_SEATS", "HEATED_WHEEL"}},
		{Code: "TOWBAR", Name: "Фаркоп", Price: rub("12345.67"), Excludes: []string{"ROOF_RACK"}},
		{Code: "ROOF_RACK", Name: "Поперечины на рейлинги", Price: rub("9000.00")},
		{Code: "MEDIA", Name: "Мультимедиа 10\"", Price: rub("25000.00")},
		{Code: "NAV", Name: "Навигация", Price: rub("10000.01"), Requires: []string{"MEDIA"}},
	}
}

func demoColors() []catalog.Color {
	rub := func(s string) crm.Money { return crm.MustMoney(s, "RUB") }
	return []catalog.Color{
		{Code: "WHITE", Name: "Белый «Ледниковый»", Kind: catalog.Exterior, Surcharge: rub("0")},
		{Code: "BLUE", Name: "Синий «Космос»", Kind: catalog.Exterior, Surcharge: rub("20000.00")},
		{Code: "BLACK", Name: "Чёрный «Пантера»", Kind: catalog.Exterior, Surcharge: rub("20000.00")},
		{Code: "FABRIC", Name: "Ткань, чёрная", Kind: catalog.Interior, Surcharge: rub("0")},
		{Code: "LEATHER", Name: "Экокожа, бежевая", Kind: catalog.Interior, Surcharge: rub("45000.00")},
	}
}

// builtCards are the cards each demo dealer builds from the directory: configuration (directory order) and choice.
var builtCards = []struct {
	config int
	sel    catalog.Selection
}{
	{0, catalog.Selection{Options: []string{"WINTER", "MEDIA", "NAV"}, ExteriorColor: "BLUE", InteriorColor: "FABRIC"}},
	{3, catalog.Selection{Options: []string{"TOWBAR"}, ExteriorColor: "WHITE", InteriorColor: "LEATHER"}},
	{5, catalog.Selection{ExteriorColor: "BLACK", InteriorColor: "LEATHER"}},
}

// seedDirectory fills the dealer's model directory (makes, models, generations, configurations with options and
// colours), a maintenance plan and warranty terms for the Vesta (the NG generation's plan overriding the
// model's), a dealer's price rule, and three cards built from configurations. The cards are appended to the
// dealer's vehicles, after the stock.
func (s *seeder) seedDirectory() error {
	svc, now := s.st.Catalog, s.st.Clock.Now()
	makes := map[string]catalog.Make{}
	var configs []catalog.Configuration
	var vesta catalog.Model
	var vestaNG catalog.Generation
	for _, dm := range directory {
		mk, ok := makes[dm.make]
		if !ok {
			var err error
			if mk, err = svc.CreateMake(s.ctx, catalog.Make{Name: dm.make, Country: dm.country}); err != nil {
				return err
			}
			makes[dm.make] = mk
		}
		md, err := svc.CreateModel(s.ctx, catalog.Model{MakeID: mk.ID, Name: dm.model, Code: dm.code})
		if err != nil {
			return err
		}
		g, err := svc.CreateGeneration(s.ctx, catalog.Generation{ModelID: md.ID, Name: dm.generation, YearFrom: dm.yearFrom})
		if err != nil {
			return err
		}
		if dm.model == "Vesta" {
			vesta, vestaNG = md, g
		}
		for _, tr := range dm.trims {
			hp := decimal.NewFromInt(int64(tr.hp))
			c, err := svc.CreateConfiguration(s.ctx, catalog.Configuration{GenerationID: g.ID,
				Code: fmt.Sprintf("%s-%s-%s", dm.model, dm.generation, tr.name), Name: tr.name, Body: tr.body,
				Specs: catalog.VehicleSpecs{EngineType: tr.engine, DisplacementCC: tr.cc, PowerHP: hp,
					PowerKW: hp.Mul(decimal.RequireFromString("0.7355")).Round(1), Fuel: tr.fuel, Transmission: tr.gearbox,
					Drive: tr.drive, Seats: 5, Doors: 5, EmissionClass: "Euro 5"},
				Equipment: tr.equipment, Price: crm.MustMoney(tr.price, "RUB"),
				ValidFrom: time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC), Options: demoOptions(), Colors: demoColors()})
			if err != nil {
				return fmt.Errorf("configuration %s %s: %w", dm.model, tr.name, err)
			}
			configs = append(configs, c)
		}
	}
	if _, err := svc.CreatePriceRule(s.ctx, catalog.PriceRule{Name: "Скидка дилера на Haval",
		MakeID: makes["Haval"].ID, Amount: crm.MustMoney("-50000.00", "RUB")}); err != nil {
		return err
	}
	works := func(names ...string) []catalog.MaintenanceWork {
		out := make([]catalog.MaintenanceWork, len(names))
		for i, n := range names {
			out[i] = catalog.MaintenanceWork{Name: n, Quantity: decimal.NewFromInt(1)}
		}
		return out
	}
	for _, p := range []catalog.MaintenancePlan{
		{ModelID: vesta.ID, Name: "Регламент ТО Lada Vesta", IntervalKm: 15000, IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{
			{Name: "ТО-1", Works: works("Замена моторного масла", "Замена масляного фильтра")},
			{Name: "ТО-2", Works: works("Замена моторного масла", "Замена масляного фильтра", "Замена воздушного фильтра")}}},
		{GenerationID: vestaNG.ID, Name: "Регламент ТО Lada Vesta NG", IntervalKm: 10000, IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{
			{Name: "ТО-1", Works: works("Замена моторного масла", "Замена масляного фильтра", "Диагностика")}}},
	} {
		if _, err := svc.CreateMaintenancePlan(s.ctx, p); err != nil {
			return err
		}
	}
	if _, err := svc.CreateWarrantyTerms(s.ctx, catalog.WarrantyTerms{ModelID: vesta.ID, Months: 36, KmLimit: 100000,
		CoveredSystems: []string{"Двигатель", "Коробка передач", "Кузов (коррозия)"}}); err != nil {
		return err
	}
	for i, b := range builtCards {
		c := configs[b.config]
		m := models[directoryStock(c)]
		v, err := svc.CreateVehicle(s.ctx, catalog.Vehicle{VIN: catalog.VIN(vin(s.rng, m)), Year: now.Year(),
			Condition: catalog.New, StockNumber: fmt.Sprintf("К-%d%02d", s.dealerN+1, i+1),
			Finance: catalog.VehicleFinance{VATRate: decimal.RequireFromString("0.20")},
			Build: catalog.VehicleBuild{ConfigurationID: c.ID, Options: b.sel.Options, ExteriorColor: b.sel.ExteriorColor,
				InteriorColor: b.sel.InteriorColor}})
		if err != nil {
			return fmt.Errorf("card of %s: %w", c.Code, err)
		}
		s.out.Vehicles = append(s.out.Vehicles, v)
	}
	s.out.Configurations = configs
	return nil
}

// directoryStock is the stock model whose VIN scheme a configuration's cards use.
func directoryStock(c catalog.Configuration) int {
	for _, dm := range directory {
		for _, tr := range dm.trims {
			if strings.ToUpper(fmt.Sprintf("%s-%s-%s", dm.model, dm.generation, tr.name)) == c.Code {
				return dm.stock
			}
		}
	}
	return 0
}

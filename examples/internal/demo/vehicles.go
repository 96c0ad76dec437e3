package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// model is a model the demo dealers stock, with what its VIN starts with.
type model struct {
	make, model, trim, body string
	year                    int
	price                   string // list price, RUB, VAT included
	used                    bool
	wmi, vds                string // VIN positions 1–3 and 4–8
	russian                 bool   // assembled in Russia: no North-American check digit (lenient VIN policy)
	engine                  string
	cc, hp                  int
	fuel, gearbox, drive    string
}

// models are realistic cars of the Russian market in 2026: Russian-assembled Lada, Kia, Hyundai, Toyota, Škoda
// and Volkswagen (VINs without a check digit, as their makers write them) and Chinese imports (with one).
var models = []model{
	{"Lada", "Granta", "Comfort", "седан", 2025, "915000", false, "XTA", "21915", true, "1.6 8V", 1596, 90, "petrol", "manual", "fwd"},
	{"Lada", "Vesta", "Life", "седан", 2026, "1459000", false, "XTA", "GFL11", true, "1.6 16V", 1596, 106, "petrol", "manual", "fwd"},
	{"Lada", "Vesta SW Cross", "Enjoy", "универсал", 2025, "1899000", false, "XTA", "GFK33", true, "1.8 16V", 1774, 122, "petrol", "cvt", "fwd"},
	{"Lada", "Niva Legend", "Classic", "внедорожник", 2025, "1019000", false, "XTA", "21214", true, "1.7 8V", 1690, 83, "petrol", "manual", "4wd"},
	{"Lada", "Niva Travel", "Comfort", "внедорожник", 2025, "1338000", false, "X9L", "21230", true, "1.7 8V", 1690, 80, "petrol", "manual", "4wd"},
	{"Haval", "Jolion", "Comfort", "кроссовер", 2025, "2149000", false, "LGW", "EF4A8", false, "1.5T", 1497, 143, "petrol", "robot", "fwd"},
	{"Haval", "F7", "Elite", "кроссовер", 2025, "2899000", false, "LGW", "EF7C5", false, "2.0T", 1967, 190, "petrol", "robot", "awd"},
	{"Chery", "Tiggo 7 Pro Max", "Prestige", "кроссовер", 2025, "2650000", false, "LVV", "DB21B", false, "1.5T", 1498, 147, "petrol", "cvt", "fwd"},
	{"Geely", "Coolray", "Flagship", "кроссовер", 2025, "2499000", false, "L6T", "7724Z", false, "1.5T", 1477, 150, "petrol", "robot", "fwd"},
	{"Geely", "Monjaro", "Exclusive", "кроссовер", 2025, "4229000", false, "L6T", "79T4Z", false, "2.0T", 1969, 238, "petrol", "automatic", "awd"},
	{"Kia", "Rio", "Prestige", "седан", 2019, "1349000", true, "Z94", "C251B", true, "1.6 MPI", 1591, 123, "petrol", "automatic", "fwd"},
	{"Hyundai", "Creta", "Lifestyle", "кроссовер", 2021, "1979000", true, "Z94", "G2814", true, "2.0 MPI", 1999, 149, "petrol", "automatic", "fwd"},
	{"Toyota", "Camry", "Престиж", "седан", 2020, "2890000", true, "XW7", "BF4FK", true, "2.5 Dynamic Force", 2487, 181, "petrol", "automatic", "fwd"},
	{"Toyota", "RAV4", "Комфорт", "кроссовер", 2021, "3290000", true, "XW7", "G3FV3", true, "2.0 Dynamic Force", 1987, 149, "petrol", "cvt", "awd"},
	{"Skoda", "Octavia", "Style", "лифтбек", 2019, "1749000", true, "XW8", "AN2NE", true, "1.4 TSI", 1395, 150, "petrol", "robot", "fwd"},
	{"Volkswagen", "Polo", "Respect", "лифтбек", 2020, "1319000", true, "XW8", "AB6CK", true, "1.6 MPI", 1598, 110, "petrol", "automatic", "fwd"},
}

var colors = []string{"Белый", "Серый металлик", "Чёрный", "Серебристый", "Синий", "Красный", "Коричневый", "Зелёный"}

// vehiclesPerDealer is how many vehicles each demo dealer stocks.
const vehiclesPerDealer = 25

// inTransit is how many of a dealer's new cars are still on their way (the last new ones listed).
const inTransit = 3

// stock returns the vehicle cards of one dealer: every model once, then further picks, with deterministic VINs,
// colours, mileage and stock numbers drawn from rng.
func stock(rng *rand.Rand, dealerIndex int, city string, now time.Time) []catalog.Vehicle {
	picks := make([]int, 0, vehiclesPerDealer)
	for i := range models {
		picks = append(picks, i)
	}
	for len(picks) < vehiclesPerDealer {
		picks = append(picks, rng.IntN(10)) // more new cars than used ones
	}
	seen := map[string]bool{}
	out := make([]catalog.Vehicle, 0, len(picks))
	for i, pick := range picks {
		m := models[pick]
		v := card(rng, m, dealerIndex, i, city, now)
		for seen[string(v.VIN)] {
			v.VIN = catalog.VIN(vin(rng, m))
		}
		seen[string(v.VIN)] = true
		if i >= len(picks)-inTransit { // the last extra picks (all new cars) are still on their way
			v.Status = catalog.StatusInTransit
			v.Location = "в пути с завода"
			v.ArrivedAt = time.Time{}
		}
		out = append(out, v)
	}
	return out
}

// card builds one vehicle card of model m.
func card(rng *rand.Rand, m model, dealerIndex, i int, city string, now time.Time) catalog.Vehicle {
	price := crm.MustMoney(m.price, "RUB")
	cond, mileage := catalog.New, 5+rng.IntN(40)
	if m.used {
		cond, mileage = catalog.Used, 25000+rng.IntN(95000)
	}
	discount := crm.Zero("RUB")
	if rng.IntN(4) == 0 {
		discount = crm.MustMoney(fmt.Sprint(50000+10000*rng.IntN(10)), "RUB")
	}
	cost := price.Mul(decimal.RequireFromString("0.86")).Round()
	hp := decimal.NewFromInt(int64(m.hp))
	return catalog.Vehicle{
		VIN:       catalog.VIN(vin(rng, m)),
		Make:      m.make,
		Model:     m.model,
		Trim:      m.trim,
		Year:      m.year,
		Body:      m.body,
		Color:     colors[rng.IntN(len(colors))],
		Condition: cond,
		Mileage:   mileage,
		Demo:      i == 1,
		StockNumber: fmt.Sprintf("%c-%02d%03d", []rune("СЮ")[dealerIndex%2], m.year%100,
			100+i),
		Location:  city + ", площадка " + fmt.Sprint(1+i%3),
		ArrivedAt: now.AddDate(0, 0, -(3 + rng.IntN(60))).Truncate(time.Hour),
		DealerTab: demoDealerTab(m, city, i),
		Finance: catalog.VehicleFinance{
			ListPrice: price,
			Cost:      cost,
			Discount:  discount,
			VATRate:   decimal.RequireFromString("0.20"),
		},
		Specs: catalog.VehicleSpecs{
			EngineType:     m.engine,
			DisplacementCC: m.cc,
			PowerHP:        hp,
			PowerKW:        hp.Mul(decimal.RequireFromString("0.7355")).Round(1),
			Fuel:           m.fuel,
			Transmission:   m.gearbox,
			Drive:          m.drive,
			Seats:          5,
			Doors:          map[bool]int{true: 3, false: 5}[m.model == "Niva Legend"],
			EmissionClass:  "Euro 5",
		},
		Status: catalog.StatusInStock,
	}
}

// yearCodes is position 10 of a VIN: the model year (…, K=2019, L=2020, …, T=2026).
var yearCodes = map[int]byte{2019: 'K', 2020: 'L', 2021: 'M', 2022: 'N', 2023: 'P', 2024: 'R', 2025: 'S', 2026: 'T'}

// vin returns a VIN for model m with a random serial number: WMI, descriptor, position 9, model year, plant,
// serial. Russian-assembled cars carry 0 at position 9, as AvtoVAZ and others write it; imports carry the
// North-American check digit (China requires it too).
func vin(rng *rand.Rand, m model) string {
	plant := "0123456789ABCDEFGH"[rng.IntN(18)]
	b := []byte(m.wmi + m.vds + "0" + string(yearCodes[m.year]) + string(plant) + fmt.Sprintf("%06d", rng.IntN(1000000)))
	if !m.russian {
		b[8] = checkDigit(b)
	}
	return strings.ToUpper(string(b))
}

// checkDigit computes the North-American check digit (49 CFR 565) of a 17-character VIN.
func checkDigit(v []byte) byte {
	weights := [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	values := map[byte]int{'A': 1, 'B': 2, 'C': 3, 'D': 4, 'E': 5, 'F': 6, 'G': 7, 'H': 8, 'J': 1, 'K': 2, 'L': 3,
		'M': 4, 'N': 5, 'P': 7, 'R': 9, 'S': 2, 'T': 3, 'U': 4, 'V': 5, 'W': 6, 'X': 7, 'Y': 8, 'Z': 9}
	sum := 0
	for i, c := range v {
		n := values[c]
		if c >= '0' && c <= '9' {
			n = int(c - '0')
		}
		sum += n * weights[i]
	}
	if r := sum % 11; r < 10 {
		return byte('0' + r)
	}
	return 'X'
}

// demoDealerTab fills a card's dealer tab without drawing on the random source (the rest of the demo stays as it
// was): the showroom by the lot, the supplier by the car's origin, a consignment note numbered after the card.
func demoDealerTab(m model, city string, i int) catalog.VehicleDealerTab {
	supplier := "ООО «" + m.make + " Моторс Рус» (дистрибьютор)"
	doc := fmt.Sprintf("ТТН № %d", 4500+i)
	if m.used {
		supplier, doc = "частное лицо (трейд-ин)", fmt.Sprintf("Акт приёма-передачи № ТИ-%d", 100+i)
	}
	return catalog.VehicleDealerTab{Branch: city + ", шоурум " + fmt.Sprint(1+i%3), Supplier: supplier, ArrivalDocument: doc}
}

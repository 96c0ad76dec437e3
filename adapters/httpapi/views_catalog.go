package httpapi

import (
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// vehicleIn is the body of POST /api/v1/vehicles (and, merged, of PATCH): the vehicle card, flat, with its
// technical data under specs and its insurance under insurance.
type vehicleIn struct {
	VIN           string          `json:"vin" oa:"required" doc:"17 characters; the North-American check digit only under the dealer's strict policy"`
	Make          string          `json:"make" doc:"required unless build names a configuration (then derived from it)"`
	Model         string          `json:"model" doc:"required unless build names a configuration (then derived from it)"`
	Generation    string          `json:"generation,omitempty"`
	Trim          string          `json:"trim,omitempty"`
	ModelCode     string          `json:"model_code,omitempty"`
	Year          int             `json:"year" oa:"required" doc:"model year"`
	Body          string          `json:"body,omitempty"`
	Color         string          `json:"color,omitempty"`
	InteriorColor string          `json:"interior_color,omitempty"`
	Condition     string          `json:"condition,omitempty" enum:"VehicleCondition" doc:"default: new"`
	EngineNumber  string          `json:"engine_number,omitempty"`
	RegNumber     string          `json:"reg_number,omitempty"`
	StockNumber   string          `json:"stock_number,omitempty"`
	ExternalID    string          `json:"external_id,omitempty" doc:"the car's ID in your own system; unique per dealer (409 duplicate when taken)"`
	Location      string          `json:"location,omitempty"`
	ArrivedAt     string          `json:"arrived_at,omitempty" format:"date-time" doc:"RFC 3339"`
	Demo          bool            `json:"demo,omitempty"`
	Mileage       int             `json:"mileage,omitempty" doc:"odometer, km"`
	Status        string          `json:"status,omitempty" enum:"VehicleStatus" doc:"in_stock (default), in_transit or unavailable; later changes through POST /api/v1/vehicles/{id}/status"`
	ListPrice     *moneyIn        `json:"list_price,omitempty" doc:"VAT included"`
	Cost          *moneyIn        `json:"cost,omitempty"`
	Discount      *moneyIn        `json:"discount,omitempty"`
	VATRate       decimalText     `json:"vat_rate,omitempty" doc:"a fraction: 0.20 for 20 %"`
	MarketValue   *moneyIn        `json:"market_value,omitempty"`
	Insurance     *insuranceIO    `json:"insurance,omitempty"`
	Specs         *specsIO        `json:"specs,omitempty"`
	Dealer        *dealerTabIO    `json:"dealer,omitempty" doc:"the card's dealer tab"`
	Build         *vehicleBuildIn `json:"build,omitempty" doc:"the configuration of the model directory the car is built as, with the chosen options and colours: make, model, generation, trim, model code, body, specs, colours and list price are then derived from it (a sold car keeps what it was sold with); null removes the reference"`
}

// dealerTabIO is a vehicle card's dealer tab: where the car stands, who answers for it, where it came from.
type dealerTabIO struct {
	Branch          string `json:"branch,omitempty" doc:"the branch or showroom holding the car"`
	ManagerID       string `json:"manager_id,omitempty" doc:"the responsible manager, a user of the dealer"`
	Supplier        string `json:"supplier,omitempty"`
	ArrivalDocument string `json:"arrival_doc,omitempty" doc:"the document the car arrived with"`
}

func (t *dealerTabIO) tab(p *crm.Problems) catalog.VehicleDealerTab {
	if t == nil {
		return catalog.VehicleDealerTab{}
	}
	return catalog.VehicleDealerTab{Branch: t.Branch, ManagerID: parseIDField(p, "dealer.manager_id", t.ManagerID),
		Supplier: t.Supplier, ArrivalDocument: t.ArrivalDocument}
}

func dealerTabView(t catalog.VehicleDealerTab) dealerTabIO {
	out := dealerTabIO{Branch: t.Branch, Supplier: t.Supplier, ArrivalDocument: t.ArrivalDocument}
	if t.ManagerID != (crm.ID{}) {
		out.ManagerID = t.ManagerID.String()
	}
	return out
}

// specsIO is a vehicle's technical data.
type specsIO struct {
	EngineType     string      `json:"engine_type,omitempty"`
	DisplacementCC int         `json:"displacement_cc,omitempty"`
	PowerKW        decimalText `json:"power_kw,omitempty"`
	PowerHP        decimalText `json:"power_hp,omitempty"`
	Fuel           string      `json:"fuel,omitempty" doc:"petrol, diesel, hybrid, electric, lpg"`
	Transmission   string      `json:"transmission,omitempty" doc:"manual, automatic, cvt, robot"`
	Drive          string      `json:"drive,omitempty" doc:"fwd, rwd, awd, 4wd"`
	Seats          int         `json:"seats,omitempty"`
	Doors          int         `json:"doors,omitempty"`
	EmissionClass  string      `json:"emission_class,omitempty"`
}

func (in vehicleIn) vehicle(p *crm.Problems) catalog.Vehicle {
	v := catalog.Vehicle{VIN: catalog.VIN(in.VIN), Make: in.Make, Model: in.Model, Generation: in.Generation, Trim: in.Trim,
		ModelCode: in.ModelCode, Year: in.Year, Body: in.Body, Color: in.Color, InteriorColor: in.InteriorColor,
		Condition: catalog.Condition(in.Condition), EngineNumber: in.EngineNumber, RegNumber: in.RegNumber,
		StockNumber: in.StockNumber, ExternalID: in.ExternalID, Location: in.Location, ArrivedAt: parseTime(p, "arrived_at", in.ArrivedAt),
		Demo: in.Demo, Mileage: in.Mileage, Status: catalog.Status(in.Status),
		Finance: catalog.VehicleFinance{ListPrice: in.ListPrice.money(p, "list_price"), Cost: in.Cost.money(p, "cost"),
			Discount: in.Discount.money(p, "discount"), VATRate: parseDecimal(p, "vat_rate", in.VATRate),
			MarketValue: in.MarketValue.money(p, "market_value")},
		Insurance: in.Insurance.insurance(p, "insurance."), DealerTab: in.Dealer.tab(p), Build: in.Build.build(p)}
	if s := in.Specs; s != nil {
		v.Specs = catalog.VehicleSpecs{EngineType: s.EngineType, DisplacementCC: s.DisplacementCC,
			PowerKW: parseDecimal(p, "specs.power_kw", s.PowerKW), PowerHP: parseDecimal(p, "specs.power_hp", s.PowerHP),
			Fuel: s.Fuel, Transmission: s.Transmission, Drive: s.Drive, Seats: s.Seats, Doors: s.Doors,
			EmissionClass: s.EmissionClass}
	}
	return v
}

// vehicleInOf is the input form of a stored card, the base a PATCH merges onto.
func vehicleInOf(v catalog.Vehicle) vehicleIn {
	ins := insuranceView(v.Insurance)
	tab := dealerTabView(v.DealerTab)
	s := v.Specs
	return vehicleIn{VIN: string(v.VIN), Make: v.Make, Model: v.Model, Generation: v.Generation, Trim: v.Trim,
		ModelCode: v.ModelCode, Year: v.Year, Body: v.Body, Color: v.Color, InteriorColor: v.InteriorColor,
		Condition: string(v.Condition), EngineNumber: v.EngineNumber, RegNumber: v.RegNumber, StockNumber: v.StockNumber,
		ExternalID: v.ExternalID, Location: v.Location, ArrivedAt: timeInOf(v.ArrivedAt), Demo: v.Demo, Mileage: v.Mileage, Status: string(v.Status),
		ListPrice: moneyInOf(v.Finance.ListPrice), Cost: moneyInOf(v.Finance.Cost), Discount: moneyInOf(v.Finance.Discount),
		VATRate: decimalInOf(v.Finance.VATRate), MarketValue: moneyInOf(v.Finance.MarketValue), Insurance: &ins,
		Specs: &specsIO{EngineType: s.EngineType, DisplacementCC: s.DisplacementCC, PowerKW: decimalInOf(s.PowerKW),
			PowerHP: decimalInOf(s.PowerHP), Fuel: s.Fuel, Transmission: s.Transmission, Drive: s.Drive, Seats: s.Seats,
			Doors: s.Doors, EmissionClass: s.EmissionClass}, Dealer: &tab, Build: vehicleBuildInOf(v.Build)}
}

// vehicleOut is a vehicle card as responses show it.
type vehicleOut struct {
	ID            crm.ID           `json:"id"`
	Version       int64            `json:"version"`
	Name          string           `json:"name" doc:"make, model, trim and year, as lists show it"`
	VIN           string           `json:"vin"`
	Make          string           `json:"make"`
	Model         string           `json:"model"`
	Generation    string           `json:"generation,omitempty"`
	Trim          string           `json:"trim,omitempty"`
	ModelCode     string           `json:"model_code,omitempty"`
	Year          int              `json:"year"`
	Body          string           `json:"body,omitempty"`
	Color         string           `json:"color,omitempty"`
	InteriorColor string           `json:"interior_color,omitempty"`
	Condition     string           `json:"condition" enum:"VehicleCondition"`
	EngineNumber  string           `json:"engine_number,omitempty"`
	RegNumber     string           `json:"reg_number,omitempty"`
	StockNumber   string           `json:"stock_number,omitempty"`
	ExternalID    string           `json:"external_id,omitempty"`
	Location      string           `json:"location,omitempty"`
	ArrivedAt     *stamp           `json:"arrived_at"`
	Demo          bool             `json:"demo"`
	Mileage       int              `json:"mileage"`
	Status        string           `json:"status" enum:"VehicleStatus"`
	ListPrice     *crm.Money       `json:"list_price"`
	Cost          *crm.Money       `json:"cost"`
	Discount      *crm.Money       `json:"discount"`
	VATRate       string           `json:"vat_rate"`
	MarketValue   *crm.Money       `json:"market_value"`
	Insurance     insuranceIO      `json:"insurance"`
	Specs         specsIO          `json:"specs"`
	Dealer        dealerTabIO      `json:"dealer" doc:"the card's dealer tab: branch, responsible manager, supplier, arrival document"`
	Build         *vehicleBuildOut `json:"build" doc:"what the card was built and priced from in the model directory; null for a card typed by hand"`
	Reservations  []reservationOut `json:"reservations" doc:"who holds the vehicle, why and until when"`
	SoldAt        *stamp           `json:"sold_at"`
	SaleID        *crm.ID          `json:"sale_id"`
	CreatedAt     stamp            `json:"created_at"`
	UpdatedAt     stamp            `json:"updated_at"`
}

// reservationOut is one hold on a vehicle.
type reservationOut struct {
	Purpose    string  `json:"purpose" enum:"ReservationPurpose"`
	RefID      crm.ID  `json:"ref_id" doc:"the test drive or sale that holds it"`
	LeadID     *crm.ID `json:"lead_id"`
	SaleID     *crm.ID `json:"sale_id"`
	CustomerID *crm.ID `json:"customer_id"`
	From       *stamp  `json:"from" doc:"a test drive's slot start"`
	Until      *stamp  `json:"until" doc:"a test drive's slot end plus the hold grace; null: until released"`
	CreatedAt  stamp   `json:"created_at"`
}

func vehicleView(v catalog.Vehicle) vehicleOut {
	s, f := v.Specs, v.Finance
	var amounts [4]*crm.Money // the card's optional amounts, in one allocation
	if f.ListPrice.Currency != "" || f.Cost.Currency != "" || f.Discount.Currency != "" || f.MarketValue.Currency != "" {
		all := &[4]crm.Money{f.ListPrice, f.Cost, f.Discount, f.MarketValue}
		for i := range all {
			if all[i].Currency != "" {
				amounts[i] = &all[i]
			}
		}
	}
	return vehicleOut{ID: v.ID, Version: v.Version, Name: v.Name(), VIN: string(v.VIN), Make: v.Make, Model: v.Model,
		Generation: v.Generation, Trim: v.Trim, ModelCode: v.ModelCode, Year: v.Year, Body: v.Body, Color: v.Color,
		InteriorColor: v.InteriorColor, Condition: string(v.Condition), EngineNumber: v.EngineNumber,
		RegNumber: v.RegNumber, StockNumber: v.StockNumber, ExternalID: v.ExternalID, Location: v.Location, ArrivedAt: timeOut(v.ArrivedAt),
		Demo: v.Demo, Mileage: v.Mileage, Status: string(v.Status), ListPrice: amounts[0],
		Cost: amounts[1], Discount: amounts[2], VATRate: crm.DecimalString(f.VATRate),
		MarketValue: amounts[3], Insurance: insuranceView(v.Insurance),
		Specs: specsIO{EngineType: s.EngineType, DisplacementCC: s.DisplacementCC, PowerKW: decimalInOf(s.PowerKW),
			PowerHP: decimalInOf(s.PowerHP), Fuel: s.Fuel, Transmission: s.Transmission, Drive: s.Drive, Seats: s.Seats,
			Doors: s.Doors, EmissionClass: s.EmissionClass},
		Dealer: dealerTabView(v.DealerTab), Build: vehicleBuildView(v.Build),
		Reservations: mapList(v.Reservations, reservationView),
		SoldAt:       timeOut(v.SoldAt), SaleID: idOut(v.SaleID), CreatedAt: stampOf(v.CreatedAt), UpdatedAt: stampOf(v.UpdatedAt)}
}

func reservationView(r catalog.Reservation) reservationOut {
	return reservationOut{Purpose: string(r.Purpose), RefID: r.RefID, LeadID: idOut(r.Holder.LeadID),
		SaleID: idOut(r.Holder.SaleID), CustomerID: idOut(r.Holder.CustomerID), From: timeOut(r.From),
		Until: timeOut(r.Until), CreatedAt: stampOf(r.CreatedAt)}
}

// vehicleStatusIn is the body of POST /api/v1/vehicles/{id}/status.
type vehicleStatusIn struct {
	Status string `json:"status" oa:"required" enum:"VehicleStatus" doc:"in_stock, in_transit or unavailable"`
}

// partIn is the body of POST /api/v1/parts (and, merged, of PATCH).
type partIn struct {
	Number           string   `json:"number" oa:"required" max:"64"`
	Name             string   `json:"name" oa:"required" max:"200"`
	CompatibleModels []string `json:"compatible_models,omitempty"`
	Quantity         int      `json:"quantity,omitempty" doc:"on create only; later through POST /api/v1/parts/{id}/stock"`
	Price            *moneyIn `json:"price,omitempty"`
}

// partOut is a spare part.
type partOut struct {
	ID               crm.ID     `json:"id"`
	Version          int64      `json:"version"`
	Number           string     `json:"number"`
	Name             string     `json:"name"`
	CompatibleModels []string   `json:"compatible_models"`
	Quantity         int        `json:"quantity"`
	Price            *crm.Money `json:"price"`
	CreatedAt        stamp      `json:"created_at"`
	UpdatedAt        stamp      `json:"updated_at"`
}

func partView(p catalog.Part) partOut {
	return partOut{ID: p.ID, Version: p.Version, Number: p.Number, Name: p.Name, CompatibleModels: strs(p.CompatibleModels),
		Quantity: p.Quantity, Price: moneyOut(p.Price), CreatedAt: stampOf(p.CreatedAt), UpdatedAt: stampOf(p.UpdatedAt)}
}

// partStockIn is the body of POST /api/v1/parts/{id}/stock.
type partStockIn struct {
	Delta int `json:"delta" oa:"required" doc:"parts in (positive) or out (negative)"`
}

// serviceItemIn is the body of POST /api/v1/services (and, merged, of PATCH).
type serviceItemIn struct {
	Code        string      `json:"code" oa:"required" max:"64"`
	Name        string      `json:"name" oa:"required" max:"200"`
	LabourHours decimalText `json:"labour_hours,omitempty"`
	Price       *moneyIn    `json:"price,omitempty"`
}

// serviceItemOut is a labour operation (catalog.Labour) as the HTTP resource "service"; the type name gives the
// OpenAPI component ServiceItem.
type serviceItemOut struct {
	ID          crm.ID     `json:"id"`
	Version     int64      `json:"version"`
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	LabourHours string     `json:"labour_hours"`
	Price       *crm.Money `json:"price"`
	CreatedAt   stamp      `json:"created_at"`
	UpdatedAt   stamp      `json:"updated_at"`
}

func serviceItemView(s catalog.Labour) serviceItemOut {
	return serviceItemOut{ID: s.ID, Version: s.Version, Code: s.Code, Name: s.Name, LabourHours: s.LabourHours.String(),
		Price: moneyOut(s.Price), CreatedAt: stampOf(s.CreatedAt), UpdatedAt: stampOf(s.UpdatedAt)}
}

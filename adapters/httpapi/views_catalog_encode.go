//go:build !noencoders

package httpapi

import (
	"strconv"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// appendVehicleJSON appends the JSON of vehicleView(*v) — the bytes json.Marshal and vehicleOut's generated
// appender write — straight from the card, without making the view: the reads of one card and of a page
// (readByID, readList) encode the stored card this way, with no copy of it and no allocation for its name, amounts
// or stamps. The small nested parts (insurance, specs, dealer tab, build, reservations) go through their views and
// generated appenders. TestVehicleEncoderIsTheView holds the two to the same bytes on random cards; a field added to
// vehicleOut is added here too.
func appendVehicleJSON(b []byte, v *catalog.Vehicle) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONUUID(b, v.ID)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, v.Version, 10)
	b = append(b, `,"name":"`...) // catalog.Vehicle.Name, escaped part by part (they meet at spaces)
	b = appendJSONStringBody(b, v.Make)
	b = append(b, ' ')
	b = appendJSONStringBody(b, v.Model)
	if v.Trim != "" {
		b = append(b, ' ')
		b = appendJSONStringBody(b, v.Trim)
	}
	if v.Year != 0 {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(v.Year), 10)
	}
	b = append(b, `","vin":`...)
	b = appendJSONString(b, string(v.VIN))
	b = append(b, `,"make":`...)
	b = appendJSONString(b, v.Make)
	b = append(b, `,"model":`...)
	b = appendJSONString(b, v.Model)
	b = appendOptionalString(b, `,"generation":`, v.Generation)
	b = appendOptionalString(b, `,"trim":`, v.Trim)
	b = appendOptionalString(b, `,"model_code":`, v.ModelCode)
	b = append(b, `,"year":`...)
	b = strconv.AppendInt(b, int64(v.Year), 10)
	b = appendOptionalString(b, `,"body":`, v.Body)
	b = appendOptionalString(b, `,"color":`, v.Color)
	b = appendOptionalString(b, `,"interior_color":`, v.InteriorColor)
	b = append(b, `,"condition":`...)
	b = appendJSONString(b, string(v.Condition))
	b = appendOptionalString(b, `,"engine_number":`, v.EngineNumber)
	b = appendOptionalString(b, `,"reg_number":`, v.RegNumber)
	b = appendOptionalString(b, `,"stock_number":`, v.StockNumber)
	b = appendOptionalString(b, `,"external_id":`, v.ExternalID)
	b = appendOptionalString(b, `,"location":`, v.Location)
	b = append(b, `,"arrived_at":`...)
	if v.ArrivedAt.IsZero() {
		b = append(b, "null"...)
	} else {
		b = appendJSONStamp(b, stamp(v.ArrivedAt))
	}
	b = append(b, `,"demo":`...)
	b = strconv.AppendBool(b, v.Demo)
	b = append(b, `,"mileage":`...)
	b = strconv.AppendInt(b, int64(v.Mileage), 10)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(v.Status))
	f := &v.Finance
	b = appendOptionalMoney(b, `,"list_price":`, &f.ListPrice)
	b = appendOptionalMoney(b, `,"cost":`, &f.Cost)
	b = appendOptionalMoney(b, `,"discount":`, &f.Discount)
	b = append(b, `,"vat_rate":"`...)
	b = crm.AppendDecimal(b, f.VATRate) // digits, a sign and a point: nothing to escape
	b = append(b, '"')
	b = appendOptionalMoney(b, `,"market_value":`, &f.MarketValue)
	b = append(b, `,"insurance":`...)
	ins := insuranceView(v.Insurance)
	b = ins.appendJSONTo(b)
	b = append(b, `,"specs":`...)
	s := &v.Specs
	specs := specsIO{EngineType: s.EngineType, DisplacementCC: s.DisplacementCC, PowerKW: decimalInOf(s.PowerKW),
		PowerHP: decimalInOf(s.PowerHP), Fuel: s.Fuel, Transmission: s.Transmission, Drive: s.Drive, Seats: s.Seats,
		Doors: s.Doors, EmissionClass: s.EmissionClass}
	b = specs.appendJSONTo(b)
	b = append(b, `,"dealer":`...)
	tab := dealerTabView(v.DealerTab)
	b = tab.appendJSONTo(b)
	b = append(b, `,"build":`...)
	if build := vehicleBuildView(v.Build); build == nil {
		b = append(b, "null"...)
	} else {
		b = build.appendJSONTo(b)
	}
	b = append(b, `,"reservations":[`...)
	for i := range v.Reservations {
		if i > 0 {
			b = append(b, ',')
		}
		r := reservationView(v.Reservations[i])
		b = r.appendJSONTo(b)
	}
	b = append(b, `],"sold_at":`...)
	if v.SoldAt.IsZero() {
		b = append(b, "null"...)
	} else {
		b = appendJSONStamp(b, stamp(v.SoldAt))
	}
	b = append(b, `,"sale_id":`...)
	if v.SaleID == (crm.ID{}) {
		b = append(b, "null"...)
	} else {
		b = appendJSONUUID(b, v.SaleID)
	}
	b = append(b, `,"created_at":`...)
	b = appendJSONStamp(b, stamp(v.CreatedAt))
	b = append(b, `,"updated_at":`...)
	b = appendJSONStamp(b, stamp(v.UpdatedAt))
	return append(b, '}')
}

// appendOptionalString appends key and s as a JSON string, unless s is empty (omitempty).
func appendOptionalString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendJSONString(append(b, key...), s)
}

// appendOptionalMoney appends key and m, or null when m has no currency (moneyOut's nil).
func appendOptionalMoney(b []byte, key string, m *crm.Money) []byte {
	b = append(b, key...)
	if m.Currency == "" {
		return append(b, "null"...)
	}
	return m.AppendJSON(b)
}

package httpapi

import (
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// world is one dealer's set of records, one of every kind a route can name.
type world struct {
	vehicle, soldVehicle, lead, testDrive, customer, duplicateCustomer, sale, wonSale, order, line, customerVehicle string
	part, service, salesStage, needType                                                                             string
	user, apiKey                                                                                                    string
	serviceAppointment, warranty                                                                                    string
	creditProgram, creditApplication                                                                                string
	appraisal, appraisalElement, appraisalFile                                                                      string
	make_, model, generation, configuration                                                                         string
	activity                                                                                                        string
	campaign                                                                                                        string
	salesPlan                                                                                                       string
}

// newWorld creates a world for dealer d through the API.
func (f *fixture) newWorld(d dealerFixture) world {
	f.t.Helper()
	tok := d.token(crm.RoleAdmin)
	var w world
	w.vehicle = f.createVehicle(d, vins[4])
	w.soldVehicle = f.createVehicle(d, vins[5])
	saleVehicle := f.createVehicle(d, vins[6])
	w.lead = f.createLead(d, "Пётр Иванов", "+79005554433")
	start, end := slot(4)
	w.testDrive = f.must(201, post("/api/v1/leads/"+w.lead+"/test-drives", tok,
		map[string]any{"vehicle_id": w.vehicle, "start": start, "end": end})).Str("id")
	w.customer = f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	w.duplicateCustomer = f.must(201, post("/api/v1/customers", tok, map[string]any{"name": "Иван Дубликат",
		"phone": "+79001112299"})).Str("id")
	w.sale = f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": w.customer, "vehicle_id": saleVehicle})).Str("id")
	order := f.must(201, post("/api/v1/sales/"+w.sale+"/order", tok, nil))
	w.order = order.Str("id")
	res := f.must(201, post("/api/v1/orders/"+w.order+"/lines", tok, map[string]any{"kind": "accessory",
		"description": "Коврики", "quantity": "1", "unit_price": map[string]any{"amount": "5000", "currency": "RUB"},
		"vat_rate": "0.20"}))
	lines := res.JSON()["lines"].([]any)
	w.line = lines[len(lines)-1].(map[string]any)["id"].(string)
	w.wonSale = f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": w.customer, "vehicle_id": w.soldVehicle})).Str("id")
	won := f.must(200, post("/api/v1/sales/"+w.wonSale+"/win", tok, map[string]any{"insurer": "Ингосстрах", "policy_number": "P-1"}))
	w.customerVehicle = won.JSON()["customer_vehicle"].(map[string]any)["id"].(string)
	w.salesPlan = f.must(201, post("/api/v1/sales-plans", tok, map[string]any{"period": "month", "start": "2026-12-01",
		"target_units": 10, "target_revenue": map[string]any{"amount": "20000000", "currency": "RUB"}})).Str("id")
	w.part = f.must(201, post("/api/v1/parts", tok, map[string]any{"number": "8450000001", "name": "Фильтр масляный",
		"quantity": 10, "price": map[string]any{"amount": "650", "currency": "RUB"}})).Str("id")
	w.service = f.must(201, post("/api/v1/services", tok, map[string]any{"code": "TO-1", "name": "ТО-1",
		"labour_hours": "1.5", "price": map[string]any{"amount": "4500", "currency": "RUB"}})).Str("id")
	w.salesStage = f.must(200, get("/api/v1/sales-stages", tok)).Items()[0]["id"].(string)
	w.needType = f.must(201, post("/api/v1/need-types", tok, map[string]any{"code": "fleet_" + d.dealer.ID.String()[:8], "name": "Корпоративный парк"})).Str("code")
	w.user = f.must(201, post("/api/v1/users", tok, map[string]any{"name": "Ольга Смирнова", "role": "sales_manager"})).Str("id")
	w.apiKey = f.must(201, post("/api/v1/users/"+w.user+"/api-keys", tok, map[string]any{"name": "сайт"})).Str("id")
	w.serviceAppointment = f.must(201, post("/api/v1/service-appointments", tok, map[string]any{
		"customer_vehicle_id": w.customerVehicle, "bay": "3", "start": "2026-11-28T09:00:00Z", "end": "2026-11-28T10:00:00Z"})).Str("id")
	w.warranty = f.must(201, post("/api/v1/customer-vehicles/"+w.customerVehicle+"/warranties", tok, map[string]any{
		"kind": "extended", "start": "2026-11-27", "end": "2028-11-27", "km_limit": 150000, "systems": []any{"engine"}})).Str("id")
	w.creditProgram = f.must(201, post("/api/v1/credit-programs", tok, map[string]any{"bank": "ПАО «Банк»",
		"name": "Автокредит", "annual_rate": "6.9", "min_term_months": 12, "max_term_months": 84, "min_down_payment_percent": "10",
		"min_amount": map[string]any{"amount": "100000", "currency": "RUB"}, "max_amount": map[string]any{"amount": "5000000", "currency": "RUB"},
		"valid_from": "2026-01-01"})).Str("id")
	w.creditApplication = f.must(201, post("/api/v1/credit-applications", tok, map[string]any{"sale_id": w.sale,
		"program_id": w.creditProgram, "down_payment": map[string]any{"amount": "450000", "currency": "RUB"},
		"amount": map[string]any{"amount": "1000000", "currency": "RUB"}, "term_months": 36})).Str("id")
	if f.h.cfg.Appraisal != nil {
		a := f.must(201, post("/api/v1/appraisals", tok, appraisalBody(vins[7])))
		w.appraisal = a.Str("id")
		w.appraisalElement = a.JSON()["elements"].([]any)[0].(map[string]any)["id"].(string)
		w.appraisalFile = f.must(201, upload("/api/v1/appraisals/"+w.appraisal+"/files", tok, "фото.png", pngFile)).Str("id")
	}
	w.make_ = f.must(201, post("/api/v1/makes", tok, map[string]any{"name": "Haval"})).Str("id")
	w.model = f.must(201, post("/api/v1/models", tok, map[string]any{"make_id": w.make_, "name": "Jolion"})).Str("id")
	w.generation = f.must(201, post("/api/v1/generations", tok, map[string]any{"model_id": w.model, "name": "I",
		"year_from": 2021})).Str("id")
	w.configuration = f.must(201, post("/api/v1/configurations", tok, map[string]any{"generation_id": w.generation,
		"code": "JOLION-COMFORT", "name": "Comfort", "price": map[string]any{"amount": "1539900.00", "currency": "RUB"},
		"options": []any{map[string]any{"code": "WINTER", "name": "Зимний пакет", "price": map[string]any{"amount": "19990.50", "currency": "RUB"}},
			map[string]any{"code": "TOWBAR", "name": "Фаркоп", "price": map[string]any{"amount": "12345.67", "currency": "RUB"}}},
		"colors": []any{map[string]any{"code": "BLUE", "name": "Синий", "kind": "exterior",
			"surcharge": map[string]any{"amount": "20000.33", "currency": "RUB"}}}})).Str("id")
	w.activity = f.must(201, post("/api/v1/activities", tok, map[string]any{"kind": "call", "subject": "Перезвонить",
		"customer_id": w.customer})).Str("id")
	if f.h.cfg.Notify != nil {
		w.campaign = f.must(201, post("/api/v1/campaigns", tok, map[string]any{"name": "Тест-драйв скоро",
			"audience": map[string]any{"kind": "test_drive_soon", "days": 7}})).Str("id")
	}
	return w
}

// fill puts the world's IDs into a route's path: {id} by the path's collection, {line_id} and {code}.
func (w world) fill(path string) string {
	ids := map[string]string{
		"/api/v1/vehicles/{id}":             w.vehicle,
		"/api/v1/leads/{id}":                w.lead,
		"/api/v1/test-drives/{id}":          w.testDrive,
		"/api/v1/customers/{id}":            w.customer,
		"/api/v1/sales/{id}":                w.sale,
		"/api/v1/orders/{id}":               w.order,
		"/api/v1/customer-vehicles/{id}":    w.customerVehicle,
		"/api/v1/service-appointments/{id}": w.serviceAppointment,
		"/api/v1/warranties/{id}":           w.warranty,
		"/api/v1/parts/{id}":                w.part,
		"/api/v1/services/{id}":             w.service,
		"/api/v1/sales-stages/{id}":         w.salesStage,
		"/api/v1/users/{id}":                w.user,
		"/api/v1/api-keys/{id}":             w.apiKey,
		"/api/v1/credit-programs/{id}":      w.creditProgram,
		"/api/v1/credit-applications/{id}":  w.creditApplication,
		"/api/v1/appraisals/{id}":           w.appraisal,
		"/api/v1/configurations/{id}":       w.configuration,
		"/api/v1/activities/{id}":           w.activity,
		"/api/v1/campaigns/{id}":            w.campaign,
		"/api/v1/sales-plans/{id}":          w.salesPlan,
	}
	for prefix, id := range ids {
		if strings.HasPrefix(path, prefix) {
			path = strings.Replace(path, "{id}", id, 1)
		}
	}
	path = strings.Replace(path, "{kind}", "test_drive.booked", 1)
	path = strings.Replace(path, "{language}", "ru", 1)
	path = strings.Replace(path, "{line_id}", w.line, 1)
	path = strings.Replace(path, "{stage_id}", w.salesStage, 1)
	path = strings.Replace(path, "{element_id}", w.appraisalElement, 1)
	path = strings.Replace(path, "{file_id}", w.appraisalFile, 1)
	if strings.HasPrefix(path, "/api/v1/lead-stages/") {
		return strings.Replace(path, "{code}", "in_work", 1)
	}
	return strings.Replace(path, "{code}", w.needType, 1)
}

// directoryModel adds a make and a model to dealer d's directory (through the catalog service: the directory's
// routes are not served yet) and returns the model's id.
func (f *fixture) directoryModel(d dealerFixture) string {
	f.t.Helper()
	cat := catalog.NewService(crm.NewUnit[catalog.Stores](f.db, f.clock), f.clock)
	mk, err := cat.CreateMake(d.ctx, catalog.Make{Name: "Lada " + crm.NewID().String()[:8]})
	if err != nil {
		f.t.Fatal(err)
	}
	md, err := cat.CreateModel(d.ctx, catalog.Model{MakeID: mk.ID, Name: "Vesta"})
	if err != nil {
		f.t.Fatal(err)
	}
	return md.ID.String()
}

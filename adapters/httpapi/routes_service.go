package httpapi

import (
	"net/http"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

func init() { registerRoutes((*Handler).serviceRoutes) }

// stepIDs are the operation IDs of the appointment steps.
var stepIDs = map[string]string{"arrive": "arriveServiceAppointment", "start": "startServiceAppointment",
	"complete": "completeServiceAppointment", "no-show": "markServiceAppointmentNoShow", "cancel": "cancelServiceAppointment"}

// serviceRoutes are the service side: the workshop calendar, service appointments and free slots, scheduled
// maintenance and warranties (aftersales.Service), and the maintenance plans kept in the catalog's directory.
func (h *Handler) serviceRoutes() []route {
	if h.cfg.CustomerVehicles == nil {
		return nil
	}
	svc := h.cfg.CustomerVehicles
	step := func(name, summary string, example any) route {
		return route{Method: "POST", Path: "/api/v1/service-appointments/{id}/" + name, ID: stepIDs[name],
			Tag: "service", IfMatch: true, Summary: summary, Access: crm.PermEditService, Body: stepIn{}, OptionalBody: true,
			Example: example, Status: 200, Out: appointmentOut{}, ETag: true, handle: h.moveAppointment(name)}
	}
	period := []param{
		{Name: "from", Type: "date-time", Desc: "start of the period (RFC 3339); default: now"},
		{Name: "to", Type: "date-time", Desc: "end of the period, exclusive; default: 7 days after from; at most 62 days after from"},
	}
	rs := []route{
		{Method: "GET", Path: "/api/v1/settings/workshop", ID: "getWorkshop", Tag: "service",
			Summary: "The dealer's workshop calendar: working hours, slot length, time zone, bays, the advisor's day limit",
			Access:  crm.PermRead, Status: 200, Out: workshopOut{}, ETag: true, handle: h.getWorkshop},
		{Method: "PUT", Path: "/api/v1/settings/workshop", ID: "setWorkshop", Tag: "service", IfMatch: true,
			Summary: "Change the dealer's workshop calendar (appointments booked from now on follow it)", Access: crm.PermEditSettings,
			Body: workshopIn{}, Example: obj{"slot_minutes": 30, "workday_start": "09:00", "workday_end": "20:00",
				"time_zone": "Europe/Moscow", "bays": []any{obj{"code": "1"}, obj{"code": "2"}, obj{"code": "3"}}, "advisor_day_limit": 8},
			Status: 200, Out: workshopOut{}, ETag: true, handle: h.setWorkshop},
		{Method: "GET", Path: "/api/v1/service-appointments", ID: "listServiceAppointments", Tag: "service",
			Summary: "The workshop's appointments overlapping a period, by start: the day's plan per bay or per advisor",
			Access:  crm.PermRead, Query: withPage(append(period,
				param{Name: "bay", Desc: "only this bay's"}, param{Name: "advisor_id", Type: "uuid", Desc: "only this advisor's"},
				param{Name: "status", Of: "AppointmentStatus"}, param{Name: "customer_vehicle_id", Type: "uuid"})...),
			Status: 200, Out: listOut[appointmentOut]{}, handle: h.listAppointments},
		{Method: "POST", Path: "/api/v1/service-appointments", ID: "bookServiceAppointment", Tag: "service",
			Summary: "Book a service appointment; a bay taken (409 service_bay_taken) or the advisor's full day (409 " +
				"advisor_day_full) is refused, and exactly one of racing bookings of the last slot wins",
			Access: crm.PermEditService, Body: appointmentIn{}, Example: obj{"customer_vehicle_id": exCustomerVehicle,
				"start": exServiceStart, "end": exServiceEnd, "bay": "1"},
			Status: 201, Out: appointmentOut{}, ETag: true, handle: h.bookAppointment},
		{Method: "GET", Path: "/api/v1/service-appointments/{id}", ID: "getServiceAppointment", Tag: "service",
			Summary: "Get a service appointment", Access: crm.PermRead, Status: 200, Out: appointmentOut{}, ETag: true,
			handle: getByID(svc.GetAppointment, appointmentView)},
		{Method: "PATCH", Path: "/api/v1/service-appointments/{id}", ID: "rescheduleServiceAppointment", Tag: "service", IfMatch: true,
			Summary: "Reschedule or edit a booked appointment (time, bay, advisor, works, notes) under the booking's rules",
			Access:  crm.PermEditService, Body: appointmentPatchIn{}, Example: obj{"notes": "клиент просит позвонить"},
			Status: 200, Out: appointmentOut{}, ETag: true, handle: h.rescheduleAppointment},
		step("arrive", "The car arrived (booked → arrived); km, when given, is recorded as a reading", obj{"km": 0}),
		step("start", "Work starts (booked or arrived → in_work); the part works are reserved in stock (409 insufficient_stock)", obj{}),
		step("complete", "Work is done (in_work → done); the reserved parts are taken from stock; a maintenance visit restarts the car's maintenance clock", obj{"km": 0}),
		step("no-show", "The customer did not come (booked → no_show), once the start has come (409 appointment_status_not_allowed before it)", obj{}),
		step("cancel", "Cancel (booked, arrived or in_work → cancelled); reserved parts are released", obj{"reason": "клиент перенёс"}),
		{Method: "GET", Path: "/api/v1/service-slots", ID: "listServiceSlots", Tag: "service",
			Summary: "Free one-slot periods of every bay (or one) that booking would accept now, by start",
			Access:  crm.PermRead, Query: withPage(append(period, param{Name: "bay", Desc: "only this bay's"})...),
			Status: 200, Out: listOut[serviceSlotOut]{}, handle: h.listServiceSlots},
		{Method: "GET", Path: "/api/v1/customer-vehicles/{id}/maintenance", ID: "getCarMaintenance", Tag: "service",
			Summary: "When the car's next scheduled maintenance is due: date and km, whichever first, and whether it is overdue",
			Access:  crm.PermRead, Status: 200, Out: maintenanceOut{}, handle: h.getCarMaintenance},
		{Method: "GET", Path: "/api/v1/maintenance/due", ID: "listMaintenanceDue", Tag: "service",
			Summary: "Cars whose maintenance is due within within_days (overdue ones included), by due date",
			Access:  crm.PermRead, Query: withPage(param{Name: "within_days", Type: "integer", Desc: "default 30"}),
			Status: 200, Out: listOut[maintenanceOut]{}, handle: h.listMaintenanceDue},
		{Method: "GET", Path: "/api/v1/customer-vehicles/{id}/warranties", ID: "listCarWarranties", Tag: "service",
			Summary: "The car's warranties, manufacturer first", Access: crm.PermRead, Query: withPage(),
			Status: 200, Out: listOut[warrantyOut]{}, handle: h.listCarWarranties},
		{Method: "POST", Path: "/api/v1/customer-vehicles/{id}/warranties", ID: "addCarWarranty", Tag: "service",
			Summary: "Add a warranty contract (manufacturer, extended or dealer) to the car", Access: crm.PermEditService,
			Body: warrantyIn{}, Example: obj{"kind": "extended", "start": "2026-11-27", "end": "2028-11-27", "km_limit": 150000,
				"systems": []any{"engine", "transmission"}, "provider": "Ингосстрах"},
			Status: 201, Out: warrantyOut{}, ETag: true, handle: h.addCarWarranty},
		{Method: "GET", Path: "/api/v1/warranties/{id}", ID: "getWarranty", Tag: "service",
			Summary: "Get a warranty contract with its status today (active, expired, void)", Access: crm.PermRead,
			Status: 200, Out: warrantyOut{}, ETag: true, handle: h.getWarranty},
		{Method: "POST", Path: "/api/v1/warranties/{id}/void", ID: "voidWarranty", Tag: "service", IfMatch: true,
			Summary: "Void a warranty with a reason (409 warranty_status_not_allowed when it is void already); it covers nothing from then on",
			Access:  crm.PermEditService, Body: voidIn{}, Example: obj{"reason": "пробег скручен"},
			Status: 200, Out: warrantyOut{}, ETag: true, handle: h.voidWarranty},
		{Method: "GET", Path: "/api/v1/warranties/coverage", ID: "warrantyCoverage", Tag: "service",
			Summary: "Is a repair of this system on this date at this mileage covered by a warranty of the car; the reason when not",
			Access:  crm.PermRead, Query: []param{
				{Name: "customer_vehicle_id", Type: "uuid", Desc: "required"},
				{Name: "system", Desc: "required: engine, transmission, ..."},
				{Name: "date", Desc: "YYYY-MM-DD; default today"},
				{Name: "km", Type: "integer", Desc: "the odometer; default the car's last reading"}},
			Status: 200, Out: coverageOut{}, handle: h.warrantyCoverage},
		{Method: "GET", Path: "/api/v1/warranties/expiring", ID: "listExpiringWarranties", Tag: "service",
			Summary: "Warranties that are not void and expire within within_days (their last covered day is before today + within_days), by end",
			Access:  crm.PermRead, Query: withPage(param{Name: "within_days", Type: "integer", Desc: "default 30"}),
			Status: 200, Out: listOut[warrantyOut]{}, handle: h.listExpiringWarranties},
	}
	if h.cfg.Catalog != nil {
		rs = append(rs,
			route{Method: "GET", Path: "/api/v1/maintenance-plans", ID: "listMaintenancePlans", Tag: "service",
				Summary: "The maintenance plans of the dealer's models (catalog directory)", Access: crm.PermRead,
				Query:  withPage(param{Name: "model_id", Type: "uuid", Desc: "only this model's"}),
				Status: 200, Out: listOut[maintenancePlanOut]{}, handle: h.listMaintenancePlans},
			route{Method: "POST", Path: "/api/v1/maintenance-plans", ID: "createMaintenancePlan", Tag: "service",
				Summary: "Attach a maintenance plan to a model or generation of the directory (one each)", Access: crm.PermEditService,
				Body: maintenancePlanIn{}, Example: obj{"model_id": exModel, "name": "Регламент ТО", "interval_km": 15000,
					"interval_months": 12, "visits": []any{obj{"name": "ТО-1", "works": []any{obj{"name": "Замена масла"}}}}},
				Status: 201, Out: maintenancePlanOut{}, ETag: true, handle: h.createMaintenancePlan})
	}
	return rs
}

func (h *Handler) getWorkshop(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.cfg.CustomerVehicles.GetWorkshop(r.Context())
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, ws.Version, workshopView(ws))
}

func (h *Handler) setWorkshop(w http.ResponseWriter, r *http.Request) error {
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in workshopIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	ws := aftersales.Workshop{SlotLength: time.Duration(in.SlotMinutes) * time.Minute, TimeZone: in.TimeZone,
		WorkdayStart: parseHHMM(&p, "workday_start", in.WorkdayStart), WorkdayEnd: parseHHMM(&p, "workday_end", in.WorkdayEnd),
		AdvisorDayLimit: in.AdvisorDayLimit}
	for _, b := range in.Bays {
		ws.Bays = append(ws.Bays, aftersales.Bay{Code: b.Code, Name: b.Name})
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	out, err := h.cfg.CustomerVehicles.SetWorkshop(r.Context(), want, ws)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, out.Version, workshopView(out))
}

func (h *Handler) listAppointments(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	q := queryOf(r)
	from, to := h.periodOf(&p, r)
	f := aftersales.AppointmentFilter{From: from, To: to, Bay: q.Get("bay"), AdvisorID: parseIDField(&p, "advisor_id", q.Get("advisor_id")),
		Status: aftersales.AppointmentStatus(q.Get("status")), CustomerVehicleID: parseIDField(&p, "customer_vehicle_id", q.Get("customer_vehicle_id"))}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.CustomerVehicles.ListAppointments(r.Context(), f, crm.PageRequest{Limit: pg.Limit, Cursor: pg.Cursor})
	if err != nil {
		return err
	}
	return writeList(w, res.Items, appointmentView, res.NextCursor)
}

func (h *Handler) bookAppointment(w http.ResponseWriter, r *http.Request) error {
	var in appointmentIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	b := aftersales.AppointmentBooking{CustomerVehicleID: requireID(&p, "customer_vehicle_id", in.CustomerVehicleID),
		Start: requireTime(&p, "start", in.Start), End: parseTime(&p, "end", in.End), Bay: in.Bay,
		AdvisorID: parseIDField(&p, "advisor_id", in.AdvisorID), Works: worksOf(&p, in.Works), Maintenance: in.Maintenance,
		WarrantySystem: in.WarrantySystem, Notes: in.Notes}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	a, err := h.cfg.CustomerVehicles.BookAppointment(r.Context(), b)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/service-appointments/"+a.ID.String())
	return writeRecord(w, http.StatusCreated, a.Version, appointmentView(a))
}

func (h *Handler) rescheduleAppointment(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[appointmentPatchIn](r)
	if err != nil {
		return err
	}
	var p crm.Problems
	c := aftersales.AppointmentChange{Bay: in.Bay, Maintenance: in.Maintenance, WarrantySystem: in.WarrantySystem, Notes: in.Notes}
	if in.Start != nil {
		t := requireTime(&p, "start", *in.Start)
		c.Start = &t
	}
	if in.End != nil {
		t := requireTime(&p, "end", *in.End)
		c.End = &t
	}
	if in.AdvisorID != nil {
		a := parseIDField(&p, "advisor_id", *in.AdvisorID)
		c.AdvisorID = &a
	}
	if in.Works != nil {
		ws := worksOf(&p, *in.Works)
		c.Works = &ws
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	a, err := h.cfg.CustomerVehicles.RescheduleAppointment(r.Context(), id, want, c)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, a.Version, appointmentView(a))
}

func (h *Handler) moveAppointment(step string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, want, in, err := readAction[stepIn](r)
		if err != nil {
			return err
		}
		a, err := h.cfg.CustomerVehicles.MoveAppointment(r.Context(), id, want, step, aftersales.StepInput{KM: in.KM, Reason: in.Reason})
		if err != nil {
			return err
		}
		return writeRecord(w, http.StatusOK, a.Version, appointmentView(a))
	}
}

func (h *Handler) listServiceSlots(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	from, to := h.periodOf(&p, r)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	slots, err := h.cfg.CustomerVehicles.ListFreeSlots(r.Context(), from, to, queryOf(r).Get("bay"))
	if err != nil {
		return err
	}
	items, next, err := paginate(slots, func(s aftersales.Slot) string { return s.Start.Format(time.RFC3339) + "/" + s.Bay }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, func(s aftersales.Slot) serviceSlotOut {
		return serviceSlotOut{Bay: s.Bay, Start: stampOf(s.Start), End: stampOf(s.End)}
	}, next)
}

func (h *Handler) getCarMaintenance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := h.cfg.CustomerVehicles.GetCarMaintenance(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, maintenanceView(m))
}

// withinDays reads within_days (default 30).
func withinDays(p *crm.Problems, r *http.Request) int {
	if queryOf(r).Get("within_days") == "" {
		return 30
	}
	return parseIntQuery(p, "within_days", queryOf(r).Get("within_days"))
}

func (h *Handler) listMaintenanceDue(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	days := withinDays(&p, r)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	all, err := h.cfg.CustomerVehicles.ListMaintenanceDue(r.Context(), days)
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(m aftersales.CarMaintenance) string { return m.CustomerVehicle.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, maintenanceView, next)
}

func (h *Handler) today() time.Time { return aftersales.Date(h.clock.Now()) }

func (h *Handler) listCarWarranties(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.cfg.CustomerVehicles.ListWarranties(r.Context(), id)
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(x aftersales.Warranty) string { return x.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, warrantyView(h.today()), next)
}

func (h *Handler) addCarWarranty(w http.ResponseWriter, r *http.Request) error {
	id, _, in, err := readAction[warrantyIn](r)
	if err != nil {
		return err
	}
	var p crm.Problems
	wr := aftersales.Warranty{Kind: aftersales.WarrantyKind(in.Kind), Start: parseDate(&p, "start", in.Start),
		End: parseDate(&p, "end", in.End), KmLimit: in.KmLimit, Systems: in.Systems, Provider: in.Provider, Notes: in.Notes}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	out, err := h.cfg.CustomerVehicles.AddWarranty(r.Context(), id, wr)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusCreated, out.Version, warrantyView(h.today())(out))
}

func (h *Handler) warrantyCoverage(w http.ResponseWriter, r *http.Request) error {
	q := queryOf(r)
	var p crm.Problems
	id := requireID(&p, "customer_vehicle_id", q.Get("customer_vehicle_id"))
	p.Require("system", q.Get("system"))
	day := parseDate(&p, "date", q.Get("date"))
	km := parseIntQuery(&p, "km", q.Get("km"))
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	c, err := h.cfg.CustomerVehicles.CheckCoverage(r.Context(), id, q.Get("system"), day, km)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, coverageOut{Covered: c.Covered, WarrantyID: idOut(c.WarrantyID), Reason: c.Reason})
}

func (h *Handler) listExpiringWarranties(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	days := withinDays(&p, r)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.CustomerVehicles.ListExpiringWarranties(r.Context(), days, crm.PageRequest{Limit: pg.Limit, Cursor: pg.Cursor})
	if err != nil {
		return err
	}
	return writeList(w, res.Items, warrantyView(h.today()), res.NextCursor)
}

func (h *Handler) listMaintenancePlans(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	model := parseIDField(&p, "model_id", queryOf(r).Get("model_id"))
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	all, err := h.cfg.Catalog.ListMaintenancePlans(r.Context(), model)
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(x catalog.MaintenancePlan) string { return x.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, maintenancePlanView, next)
}

func (h *Handler) createMaintenancePlan(w http.ResponseWriter, r *http.Request) error {
	var in maintenancePlanIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	mp := in.plan(&p)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	out, err := h.cfg.Catalog.CreateMaintenancePlan(r.Context(), mp)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/maintenance-plans/"+out.ID.String())
	return writeRecord(w, http.StatusCreated, out.Version, maintenancePlanView(out))
}

func (h *Handler) getWarranty(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := h.cfg.CustomerVehicles.GetWarranty(r.Context(), id)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, out.Version, warrantyView(h.today())(out))
}

func (h *Handler) voidWarranty(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[voidIn](r)
	if err != nil {
		return err
	}
	out, err := h.cfg.CustomerVehicles.VoidWarranty(r.Context(), id, want, in.Reason)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, out.Version, warrantyView(h.today())(out))
}

package httpapi

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

func init() { registerRoutes((*Handler).customerVehicleRoutes, aftersales.Codes()...) }

func (h *Handler) customerVehicleRoutes() []route {
	if h.cfg.CustomerVehicles == nil {
		return nil
	}
	svc := h.cfg.CustomerVehicles
	return []route{
		{Method: "GET", Path: "/api/v1/customer-vehicles", ID: "listCustomerVehicles", Tag: "customer vehicles",
			Summary: "List the dealer's customer vehicles, or those of a customer (customer_id) or of a catalog vehicle (vehicle_id), oldest first",
			Access:  crm.PermRead, Status: 200, Out: listOut[customerVehicleOut]{}, handle: h.listCustomerVehicles,
			Query: withPage(
				param{Name: "customer_id", Type: "uuid", Desc: "only this customer's vehicles"},
				param{Name: "vehicle_id", Type: "uuid"})},
		{Method: "POST", Path: "/api/v1/customer-vehicles", ID: "createCustomerVehicle", Tag: "customer vehicles",
			Example: obj{"customer_id": exCustomer, "vin": "Z94CB41AAGR323020", "make": "Kia", "model": "Rio", "year": 2019,
				"odometer_km": 64000, "in_service_since": "2019-05-14T09:00:00.000000Z"},
			Summary: "Record a customer's car bought elsewhere (a car sold here is recorded by winning its sale)",
			Access:  crm.PermEditService, Body: customerVehicleIn{}, Status: 201, Out: customerVehicleOut{}, ETag: true,
			handle: h.createCustomerVehicle},
		{Method: "GET", Path: "/api/v1/customer-vehicles/{id}", ID: "getCustomerVehicle", Tag: "customer vehicles",
			Summary: "Get a customer vehicle", Access: crm.PermRead, Status: 200, Out: customerVehicleOut{}, ETag: true,
			handle: getByID(svc.GetCustomerVehicle, customerVehicleView)},
		{Method: "PATCH", Path: "/api/v1/customer-vehicles/{id}", Example: obj{"service_contract": true}, ID: "updateCustomerVehicle",
			IfMatch: true, Tag: "customer vehicles",
			Summary: "Edit a customer vehicle (JSON merge patch): a new customer_id changes the owner (kept in owner_history), " +
				"a new insurance renews the policy (the old one moves to past_insurance)",
			Access: crm.PermEditService, Body: customerVehiclePatchIn{}, Status: 200, Out: customerVehicleOut{}, ETag: true,
			handle: patchByID(svc.GetCustomerVehicle, customerVehiclePatchOf, nil,
				func(ctx context.Context, id crm.ID, version int64, _ aftersales.CustomerVehicle, in customerVehiclePatchIn) (aftersales.CustomerVehicle, error) {
					var p crm.Problems
					e := in.edit(&p)
					if err := p.Err("httpapi"); err != nil {
						return aftersales.CustomerVehicle{}, err
					}
					return svc.EditCustomerVehicle(ctx, id, version, e)
				}, customerVehicleView)},
		{Method: "POST", Path: "/api/v1/customer-vehicles/{id}/mileage", Example: obj{"km": 999999}, ID: "recordMileage",
			IfMatch: true, Tag: "customer vehicles",
			Summary: "Record a mileage reading; one below the last reading is refused (409 mileage_below_last_reading) " +
				"unless it gives a correction_reason",
			Access: crm.PermEditService, Body: mileageIn{}, Status: 201, Out: mileageOut{}, handle: h.recordMileage},
		{Method: "GET", Path: "/api/v1/customer-vehicles/{id}/overview", ID: "getCustomerVehicleOverview", Tag: "customer vehicles",
			Summary: "One view of the car, read in one snapshot: the car, its won sales, its service visits (with states and works), " +
				"its warranties (with status today), its maintenance (next due date and km, overdue, last visit) and its mileage readings",
			Access: crm.PermRead, Status: 200, Out: carOverviewOut{}, handle: h.getCarOverview},
		{Method: "GET", Path: "/api/v1/customer-vehicles/{id}/mileage", ID: "listMileage", Tag: "customer vehicles",
			Summary: "The car's mileage readings, by the time they were taken", Access: crm.PermRead, Query: withPage(),
			Status: 200, Out: listOut[mileageOut]{}, handle: h.listMileage},
	}
}

func (h *Handler) createCustomerVehicle(w http.ResponseWriter, r *http.Request) error {
	var in customerVehicleIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	cv := aftersales.CustomerVehicle{CustomerID: requireID(&p, "customer_id", in.CustomerID),
		VehicleID: parseIDField(&p, "vehicle_id", in.VehicleID), VIN: catalog.VIN(in.VIN), Make: in.Make, Model: in.Model,
		Trim: in.Trim, Year: in.Year, Insurance: in.Insurance.insurance(&p, "insurance."), ServiceContract: in.ServiceContract,
		InServiceSince: parseTime(&p, "in_service_since", in.InServiceSince), OdometerAtSale: in.Odometer}
	if in.Odometer < 0 {
		p.Add("odometer_km", "must not be negative")
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	out, err := h.cfg.CustomerVehicles.CreateCustomerVehicle(r.Context(), cv)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/customer-vehicles/"+out.ID.String())
	return writeRecord(w, http.StatusCreated, out.Version, customerVehicleView(out))
}

func (h *Handler) recordMileage(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[mileageIn](r)
	if err != nil {
		return err
	}
	var p crm.Problems
	if in.KM == nil {
		p.Add("km", "is required")
	}
	at := parseTime(&p, "at", in.At)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	_, reading, err := h.cfg.CustomerVehicles.RecordMileage(r.Context(), id, want,
		aftersales.MileageReading{KM: *in.KM, At: at, CorrectionReason: in.CorrectionReason})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, mileageView(reading))
}

func (h *Handler) listMileage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.cfg.CustomerVehicles.ListMileageReadings(r.Context(), id)
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(m aftersales.MileageReading) string { return m.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, mileageView, next)
}

func (h *Handler) listCustomerVehicles(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	var p crm.Problems
	if q.Get("customer_id") == "" && q.Get("vehicle_id") == "" {
		// The dealer's whole list, oldest first, with the store's keyset cursor.
		page, err := h.cfg.CustomerVehicles.ListCustomerVehicles(r.Context(), pg.Cursor, pg.Limit)
		if err != nil {
			return err
		}
		return writeList(w, page.Items, customerVehicleView, page.NextCursor)
	}
	customer := parseIDField(&p, "customer_id", q.Get("customer_id"))
	vehicle := parseIDField(&p, "vehicle_id", q.Get("vehicle_id"))
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	var all []aftersales.CustomerVehicle
	if q.Get("customer_id") != "" {
		all, err = h.cfg.CustomerVehicles.ListCustomerVehiclesByCustomer(r.Context(), customer)
	} else {
		all, err = h.cfg.CustomerVehicles.ListCustomerVehiclesByVehicle(r.Context(), vehicle)
	}
	if err != nil {
		return err
	}
	if q.Get("customer_id") != "" && q.Get("vehicle_id") != "" {
		kept := all[:0]
		for _, cv := range all {
			if cv.VehicleID == vehicle {
				kept = append(kept, cv)
			}
		}
		all = kept
	}
	items, next, err := paginate(all, func(cv aftersales.CustomerVehicle) string { return cv.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, customerVehicleView, next)
}

func (h *Handler) getCarOverview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := h.cfg.CustomerVehicles.GetCarOverview(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, carOverviewView(o))
}

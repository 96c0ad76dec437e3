package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// vehicleQueryParams are the filters of the vehicle lists.
var vehicleQueryParams = []param{
	{Name: "status", Of: "VehicleStatus", List: true, Desc: "one status or several, comma-separated"},
	{Name: "make", Desc: "exact, case-insensitive"},
	{Name: "model", Desc: "exact, case-insensitive"},
	{Name: "trim", Desc: "exact, case-insensitive"},
	{Name: "generation", Desc: "exact, case-insensitive"},
	{Name: "configuration_id", Type: "uuid", Desc: "cards built from this configuration of the model directory"},
	{Name: "option", Desc: "cards built with this option (a code; directly or in a pack)"},
	{Name: "year_from", Type: "integer"},
	{Name: "year_to", Type: "integer"},
	{Name: "price_from", Type: "decimal", Desc: "list price, inclusive"},
	{Name: "price_to", Type: "decimal", Desc: "list price, inclusive"},
	{Name: "q", Desc: "free text over make, model, trim and VIN"},
	{Name: "external_id", Desc: "the card with this ID in the embedder's own system"},
	{Name: "sort", Of: "VehicleSort"},
	{Name: "order", Enum: []string{"asc", "desc"}},
}

func (h *Handler) vehicleRoutes() []route {
	if h.cfg.Catalog == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/vehicles", ID: "listVehicles", Tag: "vehicles", Summary: "Search the vehicles",
			Access: crm.PermRead, Query: withPage(vehicleQueryParams...), Status: 200, Out: listOut[vehicleOut]{},
			handle: h.listVehicles},
		{Method: "POST", Path: "/api/v1/vehicles", Example: obj{"vin": "XTA21700080000001", "make": "Lada", "model": "Vesta", "trim": "Comfort", "year": 2026, "color": "белый", "list_price": obj{"amount": "1450000.00", "currency": "RUB"}}, ID: "createVehicle", Tag: "vehicles", Summary: "Add a vehicle card",
			Access: crm.PermEditCatalog, Body: vehicleIn{}, Status: 201, Out: vehicleOut{}, ETag: true, handle: h.createVehicle},
		{Method: "GET", Path: "/api/v1/vehicles/{id}", ID: "getVehicle", Tag: "vehicles", Summary: "Get a vehicle card",
			Access: crm.PermRead, Status: 200, Out: vehicleOut{}, ETag: true, handle: readByID(h.cfg.Catalog.ReadVehicle, appendVehicleJSON)},
		{Method: "PATCH", Path: "/api/v1/vehicles/{id}", Example: obj{"color": "красный"}, ID: "updateVehicle", IfMatch: true, Tag: "vehicles",
			Summary: "Edit a vehicle card (JSON merge patch of the create body; status through /status)",
			Access:  crm.PermEditCatalog, Body: vehicleIn{}, Status: 200, Out: vehicleOut{}, ETag: true, handle: h.updateVehicle},
		{Method: "POST", Path: "/api/v1/vehicles/{id}/status", Example: obj{"status": "unavailable"}, ID: "setVehicleStatus", IfMatch: true, Tag: "vehicles",
			Summary: "Move a vehicle between in_stock, in_transit and unavailable (reserved and sold follow bookings and sales)",
			Access:  crm.PermEditCatalog, Body: vehicleStatusIn{}, Status: 200, Out: vehicleOut{}, ETag: true, handle: h.setVehicleStatus},
		{Method: "GET", Path: "/api/v1/reserved-vehicles", ID: "listReservedVehicles", Tag: "vehicles",
			Summary: "The reserved vehicles, each with its reservations", Access: crm.PermRead,
			Query: withPage(vehicleQueryParams[1:]...), Status: 200, Out: listOut[vehicleOut]{}, handle: h.listReservedVehicles},
	}
}

// vehicleQuery reads the vehicle filters of a list request.
func (h *Handler) vehicleQuery(r *http.Request) (catalog.VehicleQuery, error) {
	pg, err := h.pageOf(r)
	if err != nil {
		return catalog.VehicleQuery{}, err
	}
	q := queryOf(r)
	var p crm.Problems
	vq := catalog.VehicleQuery{Make: q.Get("make"), Model: q.Get("model"), Trim: q.Get("trim"),
		YearFrom: parseIntQuery(&p, "year_from", q.Get("year_from")), YearTo: parseIntQuery(&p, "year_to", q.Get("year_to")),
		Generation: q.Get("generation"), ConfigurationID: parseIDField(&p, "configuration_id", q.Get("configuration_id")),
		Option: q.Get("option"), Text: q.Get("q"), ExternalID: q.Get("external_id"), Sort: catalog.VehicleSort(q.Get("sort")), Limit: pg.Limit, Cursor: pg.Cursor}
	for s := range strings.SplitSeq(q.Get("status"), ",") { // no status: one empty string, skipped; no slice
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !catalog.Status(s).Valid() {
			p.Add("status", "%q is not a vehicle status", s)
		}
		vq.Status = append(vq.Status, catalog.Status(s))
	}
	vq.PriceFrom = optionalDecimalQuery(&p, "price_from", q.Get("price_from")) // no pointer into vq: it stays on the stack
	vq.PriceTo = optionalDecimalQuery(&p, "price_to", q.Get("price_to"))
	switch vq.Sort {
	case "", catalog.SortCreated, catalog.SortPrice, catalog.SortYear:
	default:
		p.Add("sort", "must be created_at, price or year")
	}
	switch q.Get("order") {
	case "", "asc":
	case "desc":
		vq.Desc = true
	default:
		p.Add("order", "must be asc or desc")
	}
	return vq, p.Err("httpapi")
}

// optionalDecimalQuery is the decimal of the query parameter name, whose value is s; nil when s is empty.
func optionalDecimalQuery(p *crm.Problems, name, s string) *decimal.Decimal {
	if s == "" {
		return nil
	}
	d := parseDecimal(p, name, decimalText(s))
	return &d
}

func (h *Handler) listVehicles(w http.ResponseWriter, r *http.Request) error {
	vq, err := h.vehicleQuery(r)
	if err != nil {
		return err
	}
	return readList(w, func(fn func(*catalog.Vehicle) error) (string, error) {
		return h.cfg.Catalog.ReadVehicles(r.Context(), vq, fn)
	}, appendVehicleJSON)
}

func (h *Handler) listReservedVehicles(w http.ResponseWriter, r *http.Request) error {
	vq, err := h.vehicleQuery(r)
	if err != nil {
		return err
	}
	res, err := h.cfg.Catalog.ListReservedVehicles(r.Context(), vq)
	if err != nil {
		return err
	}
	return writeList(w, res.Items, vehicleView, res.NextCursor)
}

func (h *Handler) createVehicle(w http.ResponseWriter, r *http.Request) error {
	var in vehicleIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	card := in.vehicle(&p)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	v, err := h.cfg.Catalog.CreateVehicle(r.Context(), card)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/vehicles/"+v.ID.String())
	return writeRecord(w, http.StatusCreated, v.Version, vehicleView(v))
}

// updateVehicle applies a merge patch of the card's create body; the status changes only through /status.
func (h *Handler) updateVehicle(w http.ResponseWriter, r *http.Request) error {
	return patchByID(h.cfg.Catalog.GetVehicle, vehicleInOf, nil,
		func(ctx context.Context, id crm.ID, version int64, cur catalog.Vehicle, in vehicleIn) (catalog.Vehicle, error) {
			var p crm.Problems
			if in.Status != string(cur.Status) {
				p.Add("status", "changes through POST /api/v1/vehicles/{id}/status")
			}
			card := in.vehicle(&p)
			if err := p.Err("httpapi"); err != nil {
				return catalog.Vehicle{}, err
			}
			return h.cfg.Catalog.UpdateVehicle(ctx, id, version, card)
		}, vehicleView)(w, r)
}

func (h *Handler) setVehicleStatus(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[vehicleStatusIn](r)
	if err != nil {
		return err
	}
	if in.Status == "" {
		return invalidField("status", "is required")
	}
	v, err := h.cfg.Catalog.SetVehicleStatus(r.Context(), id, want, catalog.Status(in.Status))
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, v.Version, vehicleView(v))
}

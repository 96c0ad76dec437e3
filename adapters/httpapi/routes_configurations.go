package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// The model directory (issue 17) registers its routes itself (the recipe in docs/architecture.md).
func init() { registerRoutes((*Handler).configurationRoutes) }

// configurationRoutes serve the model directory when Config.Catalog is set: makes, models, generations,
// configurations with their options, pricing with the dealer's price rules, and comparison.
func (h *Handler) configurationRoutes() []route {
	if h.cfg.Catalog == nil {
		return nil
	}
	c := h.cfg.Catalog
	const tag = "configurations"
	return []route{
		{Method: "GET", Path: "/api/v1/makes", ID: "listMakes", Tag: tag, Summary: "List the makes of the directory, by name",
			Access: crm.PermRead, Query: withPage(), Status: 200, Out: listOut[makeOut]{}, handle: h.listMakes},
		{Method: "POST", Path: "/api/v1/makes", ID: "createMake", Tag: tag, Summary: "Add a make (409 duplicate for a name the dealer has)",
			Access: crm.PermEditCatalog, Body: makeIn{}, Example: obj{"name": "Lada", "country": "Россия"}, Status: 201,
			Out: makeOut{}, ETag: true, handle: h.createMake},
		{Method: "GET", Path: "/api/v1/models", ID: "listModels", Tag: tag, Summary: "List the models, by name",
			Access: crm.PermRead, Query: withPage(param{Name: "make", Type: "uuid", Desc: "the models of this make"}),
			Status: 200, Out: listOut[modelOut]{}, handle: h.listModels},
		{Method: "POST", Path: "/api/v1/models", ID: "createModel", Tag: tag, Summary: "Add a model of a make",
			Access: crm.PermEditCatalog, Body: modelIn{}, Example: obj{"make_id": exMake, "name": "Vesta", "code": "GFL"},
			Status: 201, Out: modelOut{}, ETag: true, handle: h.createModel},
		{Method: "GET", Path: "/api/v1/generations", ID: "listGenerations", Tag: tag, Summary: "List the generations, by first year",
			Access: crm.PermRead, Query: withPage(param{Name: "model", Type: "uuid", Desc: "the generations of this model"}),
			Status: 200, Out: listOut[generationOut]{}, handle: h.listGenerations},
		{Method: "POST", Path: "/api/v1/generations", ID: "createGeneration", Tag: tag, Summary: "Add a generation (model years) of a model",
			Access: crm.PermEditCatalog, Body: generationIn{}, Example: obj{"model_id": exModel, "name": "NG", "year_from": 2023},
			Status: 201, Out: generationOut{}, ETag: true, handle: h.createGeneration},
		{Method: "GET", Path: "/api/v1/configurations", ID: "listConfigurations", Tag: tag, Summary: "List the configurations, by code",
			Access: crm.PermRead, Status: 200, Out: listOut[configurationOut]{}, handle: h.listConfigurations,
			Query: withPage(param{Name: "make", Desc: "a make's ID or name (without case)"},
				param{Name: "model", Desc: "a model's ID or name (without case)"},
				param{Name: "year", Type: "integer", Desc: "a model year the configuration's generation covers"},
				param{Name: "generation", Type: "uuid"},
				param{Name: "option", Desc: "an option code the configuration offers"},
				param{Name: "valid_at", Type: "date-time", Desc: "only configurations whose price is valid then"})},
		{Method: "POST", Path: "/api/v1/configurations", ID: "createConfiguration", Tag: tag,
			Summary: "Add a configuration (trim) of a generation: technical data, equipment, price and validity, options and packs with their rules, colours; 422 names every bad field",
			Access:  crm.PermEditCatalog, Body: configurationIn{}, Example: configurationExample, Status: 201,
			Out: configurationOut{}, ETag: true, handle: h.createConfiguration},
		{Method: "POST", Path: "/api/v1/configurations/price", ID: "priceConfiguration", Tag: tag,
			Summary: "Price a configuration as chosen (configuration + options + colours, the dealer's price rules on top), to the kopeck; 422 names every wrong choice (both options of a conflict), nothing is saved",
			Access:  crm.PermEditCatalog, Body: priceIn{}, Status: 200, Out: priceOut{}, handle: h.priceConfiguration,
			Example: obj{"configuration_id": exConfiguration, "option_ids": []any{"WINTER", "TOWBAR"}, "exterior_color": "BLUE"}},
		{Method: "GET", Path: "/api/v1/configurations/compare", ID: "compareConfigurations", Tag: tag,
			Summary: "Two or three configurations side by side, with the differences listed", Access: crm.PermRead,
			Query:  []param{{Name: "ids", Type: "uuid", List: true, Desc: "two or three configuration IDs, comma-separated"}},
			Status: 200, Out: compareOut{}, handle: h.compareConfigurations},
		{Method: "GET", Path: "/api/v1/configurations/{id}", ID: "getConfiguration", Tag: tag, Summary: "Get a configuration",
			Access: crm.PermRead, Status: 200, Out: configurationOut{}, ETag: true,
			handle: getByID(c.GetConfiguration, configurationView)},
		{Method: "PATCH", Path: "/api/v1/configurations/{id}", ID: "updateConfiguration", Tag: tag, IfMatch: true,
			Summary: "Edit a configuration (a JSON merge patch of its create body; the generation is kept). Cards already sold keep the price they were sold at",
			Access:  crm.PermEditCatalog, Body: configurationIn{}, Example: obj{"price": obj{"amount": "1599900.00", "currency": "RUB"}},
			Status: 200, Out: configurationOut{}, ETag: true, handle: h.updateConfiguration},
		{Method: "GET", Path: "/api/v1/configurations/{id}/options", ID: "listConfigurationOptions", Tag: tag,
			Summary: "The options and packs a configuration offers, with their prices and rules", Access: crm.PermRead,
			Query: withPage(), Status: 200, Out: listOut[optionOut]{}, handle: h.listConfigurationOptions},
		{Method: "GET", Path: "/api/v1/price-rules", ID: "listPriceRules", Tag: tag,
			Summary: "The dealer's own price rules, in the order quotes apply them", Access: crm.PermRead, Query: withPage(),
			Status: 200, Out: listOut[priceRuleOut]{}, handle: h.listPriceRules},
		{Method: "POST", Path: "/api/v1/price-rules", ID: "createPriceRule", Tag: tag,
			Summary: "Add a price rule (a percentage and/or an amount on top of configuration prices)",
			Access:  crm.PermEditCatalog, Body: priceRuleIn{}, Status: 201, Out: priceRuleOut{}, ETag: true,
			Example: obj{"name": "Наценка дилера", "percent": "1.5"}, handle: h.createPriceRule},
	}
}

// configurationExample is a configuration the example generation accepts.
var configurationExample = obj{"generation_id": exGeneration, "code": "VESTA-NG-COMFORT", "name": "Comfort", "body": "sedan",
	"specs":     obj{"engine_type": "petrol I4", "displacement_cc": 1596, "power_hp": "106", "fuel": "petrol", "transmission": "manual", "drive": "fwd", "seats": 5, "emission_class": "Euro 5"},
	"equipment": []any{"ABS", "ESC", "Кондиционер"}, "price": obj{"amount": "1539900.00", "currency": "RUB"},
	"options": []any{
		obj{"code": "HEATED_SEATS", "name": "Подогрев сидений", "price": obj{"amount": "15000.00", "currency": "RUB"}},
		obj{"code": "WINTER", "name": "Зимний пакет", "kind": "pack", "includes": []any{"HEATED_SEATS"}, "price": obj{"amount": "12990.50", "currency": "RUB"}},
		obj{"code": "TOWBAR", "name": "Фаркоп", "excludes": []any{"ROOF_RACK"}, "price": obj{"amount": "12345.67", "currency": "RUB"}},
		obj{"code": "ROOF_RACK", "name": "Рейлинги", "price": obj{"amount": "9000.00", "currency": "RUB"}}},
	"colors": []any{obj{"code": "BLUE", "name": "Синий «Космос»", "kind": "exterior", "surcharge": obj{"amount": "20000.33", "currency": "RUB"}}}}

func (h *Handler) listMakes(w http.ResponseWriter, r *http.Request) error {
	all, err := h.cfg.Catalog.ListMakes(r.Context())
	return writePageOf(h, w, r, all, err, makeView)
}

// writePageOf answers one page of a list the service returned whole.
func writePageOf[T interface{ Metadata() crm.Meta }, V any](h *Handler, w http.ResponseWriter, r *http.Request, all []T, err error, view func(T) V) error {
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(v T) string { return v.Metadata().ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, view, next)
}

func (h *Handler) createMake(w http.ResponseWriter, r *http.Request) error {
	var in makeIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := h.cfg.Catalog.CreateMake(r.Context(), catalog.Make{Name: in.Name, Country: in.Country})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/makes/"+m.ID.String())
	return writeRecord(w, http.StatusCreated, m.Version, makeView(m))
}

func (h *Handler) listModels(w http.ResponseWriter, r *http.Request) error {
	var p crm.Problems
	mk := parseIDField(&p, "make", queryOf(r).Get("make"))
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	all, err := h.cfg.Catalog.ListModels(r.Context(), mk)
	return writePageOf(h, w, r, all, err, modelView)
}

func (h *Handler) createModel(w http.ResponseWriter, r *http.Request) error {
	var in modelIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	m := catalog.Model{MakeID: requireID(&p, "make_id", in.MakeID), Name: in.Name, Code: in.Code}
	if err := collect(r, &p); err != nil {
		return err
	}
	out, err := h.cfg.Catalog.CreateModel(r.Context(), m)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/models/"+out.ID.String())
	return writeRecord(w, http.StatusCreated, out.Version, modelView(out))
}

func (h *Handler) listGenerations(w http.ResponseWriter, r *http.Request) error {
	var p crm.Problems
	md := parseIDField(&p, "model", queryOf(r).Get("model"))
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	all, err := h.cfg.Catalog.ListGenerations(r.Context(), md)
	return writePageOf(h, w, r, all, err, generationView)
}

func (h *Handler) createGeneration(w http.ResponseWriter, r *http.Request) error {
	var in generationIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	g := catalog.Generation{ModelID: requireID(&p, "model_id", in.ModelID), Name: in.Name, YearFrom: in.YearFrom, YearTo: in.YearTo}
	if err := collect(r, &p); err != nil {
		return err
	}
	out, err := h.cfg.Catalog.CreateGeneration(r.Context(), g)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/generations/"+out.ID.String())
	return writeRecord(w, http.StatusCreated, out.Version, generationView(out))
}

// idOrName reads a filter that is a record's ID or its name.
func idOrName(v string) (crm.ID, string) {
	v = strings.TrimSpace(v)
	if id, err := crm.ParseID("", v); err == nil && v != "" {
		return id, ""
	}
	return crm.ID{}, v
}

func (h *Handler) listConfigurations(w http.ResponseWriter, r *http.Request) error {
	q := queryOf(r)
	var (
		p crm.Problems
		f catalog.ConfigurationFilter
	)
	f.MakeID, f.MakeName = idOrName(q.Get("make"))
	f.ModelID, f.ModelName = idOrName(q.Get("model"))
	f.Year = parseIntQuery(&p, "year", q.Get("year"))
	f.GenerationID = parseIDField(&p, "generation", q.Get("generation"))
	f.Option = q.Get("option")
	f.ValidAt = parseTime(&p, "valid_at", q.Get("valid_at"))
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	all, err := h.cfg.Catalog.ListConfigurations(r.Context(), f)
	return writePageOf(h, w, r, all, err, configurationView)
}

func (h *Handler) createConfiguration(w http.ResponseWriter, r *http.Request) error {
	var in configurationIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	c := in.configuration(&p)
	if in.GenerationID == "" {
		p.Add("generation_id", "is required")
	}
	if err := collect(r, &p); err != nil {
		return err
	}
	out, err := h.cfg.Catalog.CreateConfiguration(r.Context(), c)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/configurations/"+out.ID.String())
	return writeRecord(w, http.StatusCreated, out.Version, configurationView(out))
}

// updateConfiguration applies a merge patch of the configuration's create body.
func (h *Handler) updateConfiguration(w http.ResponseWriter, r *http.Request) error {
	return patchByID(h.cfg.Catalog.GetConfiguration, configurationInOf, nil,
		func(ctx context.Context, id crm.ID, version int64, _ catalog.Configuration, in configurationIn) (catalog.Configuration, error) {
			var p crm.Problems
			c := in.configuration(&p)
			if err := p.Err("httpapi"); err != nil {
				return catalog.Configuration{}, err
			}
			return h.cfg.Catalog.UpdateConfiguration(ctx, id, version, c)
		}, configurationView)(w, r)
}

func (h *Handler) listConfigurationOptions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.cfg.Catalog.GetConfiguration(r.Context(), id)
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	items, next, err := paginate(c.Options, func(o catalog.Option) string { return o.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, optionView, next)
}

func (h *Handler) priceConfiguration(w http.ResponseWriter, r *http.Request) error {
	var in priceIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	id := requireID(&p, "configuration_id", in.ConfigurationID)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	q, err := h.cfg.Catalog.PriceConfiguration(r.Context(), id, catalog.Selection{Options: in.OptionIDs,
		ExteriorColor: in.ExteriorColor, InteriorColor: in.InteriorColor})
	if crm.KindOf(err) == crm.KindNotFound { // the body names it: a field to correct, not a missing resource
		return crm.Invalid("httpapi", crm.FieldError{Field: "configuration_id", Message: "no such configuration of the dealer"})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, priceView(q))
}

func (h *Handler) compareConfigurations(w http.ResponseWriter, r *http.Request) error {
	var (
		p   crm.Problems
		ids []crm.ID
	)
	for i, s := range strings.Split(queryOf(r).Get("ids"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if id, err := crm.ParseID("", s); err != nil {
			p.Add("ids", "entry %d, %q, is not an ID", i, s)
		} else {
			ids = append(ids, id)
		}
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	cmp, err := h.cfg.Catalog.CompareConfigurations(r.Context(), ids)
	if err != nil {
		return err
	}
	out := compareOut{Configurations: mapList(cmp.Entries, func(e catalog.DirectoryEntry) configurationOut {
		return configurationView(e.Configuration)
	}), Differences: mapList(cmp.Differences, func(d catalog.Difference) differenceOut {
		return differenceOut{Field: d.Field, Values: d.Values}
	})}
	return writeJSON(w, http.StatusOK, out)
}

func (h *Handler) listPriceRules(w http.ResponseWriter, r *http.Request) error {
	all, err := h.cfg.Catalog.ListPriceRules(r.Context())
	return writePageOf(h, w, r, all, err, priceRuleView)
}

func (h *Handler) createPriceRule(w http.ResponseWriter, r *http.Request) error {
	var in priceRuleIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	rule := in.rule(&p)
	if err := collect(r, &p); err != nil {
		return err
	}
	out, err := h.cfg.Catalog.CreatePriceRule(r.Context(), rule)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusCreated, out.Version, priceRuleView(out))
}

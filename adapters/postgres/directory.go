package postgres

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/lib/pq"
	"github.com/shopspring/decimal"
)

var _ catalog.DirectoryStores = (*Tx)(nil)

var makeTable = table[catalog.Make]{
	name: "makes",
	cols: []string{"name", "name_key", "country"},
	meta: func(m *catalog.Make) *crm.Meta { return &m.Meta },
	args: func(m *catalog.Make) []any { return []any{m.Name, catalog.NameKey(m.Name), m.Country} },
	scan: func(m *catalog.Make) ([]any, func()) {
		var key string
		return []any{&m.Name, &key, &m.Country}, nil
	},
}

var modelTable = table[catalog.Model]{
	name: "models",
	cols: []string{"make_id", "name", "name_key", "code"},
	meta: func(m *catalog.Model) *crm.Meta { return &m.Meta },
	args: func(m *catalog.Model) []any { return []any{m.MakeID, m.Name, catalog.NameKey(m.Name), m.Code} },
	scan: func(m *catalog.Model) ([]any, func()) {
		var key string
		return []any{&m.MakeID, &m.Name, &key, &m.Code}, nil
	},
}

var generationTable = table[catalog.Generation]{
	name: "generations",
	cols: []string{"make_id", "model_id", "name", "name_key", "year_from", "year_to"},
	meta: func(g *catalog.Generation) *crm.Meta { return &g.Meta },
	args: func(g *catalog.Generation) []any {
		return []any{g.MakeID, g.ModelID, g.Name, catalog.NameKey(g.Name), g.YearFrom, g.YearTo}
	},
	scan: func(g *catalog.Generation) ([]any, func()) {
		var key string
		return []any{&g.MakeID, &g.ModelID, &g.Name, &key, &g.YearFrom, &g.YearTo}, nil
	},
}

var configurationTable = table[catalog.Configuration]{
	name: "configurations",
	cols: []string{"make_id", "model_id", "generation_id", "code", "name", "currency", "price", "valid_from",
		"valid_to", "option_codes", "doc"},
	meta: func(c *catalog.Configuration) *crm.Meta { return &c.Meta },
	args: func(c *catalog.Configuration) []any {
		codes := make([]string, len(c.Options))
		for i, o := range c.Options {
			codes[i] = o.Code
		}
		return []any{c.MakeID, c.ModelID, c.GenerationID, c.Code, c.Name, string(c.Price.Currency), c.Price.Amount,
			nullTime(c.ValidFrom), nullTime(c.ValidTo), pq.StringArray(codes), jsonb{configurationDocOf(*c)}}
	},
	scan: func(c *catalog.Configuration) ([]any, func()) {
		var (
			cur      string
			price    decimal.Decimal
			from, to sql.NullTime
			codes    pq.StringArray
			doc      configurationDoc
		)
		return []any{&c.MakeID, &c.ModelID, &c.GenerationID, &c.Code, &c.Name, &cur, &price, &from, &to, &codes,
				jsonb{&doc}}, func() {
				c.Price = crm.NewMoney(price, crm.Currency(cur))
				c.ValidFrom, c.ValidTo = timeOf(from), timeOf(to)
				doc.fill(c, c.Price.Currency)
			}
	},
}

var maintenancePlanTable = table[catalog.MaintenancePlan]{
	name: "maintenance_plans",
	cols: []string{"model_id", "generation_id", "name", "interval_km", "interval_months", "visits"},
	meta: func(p *catalog.MaintenancePlan) *crm.Meta { return &p.Meta },
	args: func(p *catalog.MaintenancePlan) []any {
		return []any{p.ModelID, nullID(p.GenerationID), p.Name, p.IntervalKm, p.IntervalMonths,
			jsonb{maintenanceVisitDocsOf(p.Visits)}}
	},
	scan: func(p *catalog.MaintenancePlan) ([]any, func()) {
		var (
			gen    uuid.NullUUID
			visits []maintenanceVisitDoc
		)
		return []any{&p.ModelID, &gen, &p.Name, &p.IntervalKm, &p.IntervalMonths, jsonb{&visits}}, func() {
			p.GenerationID = gen.UUID
			p.Visits = maintenanceVisitsOf(visits)
		}
	},
}

var warrantyTermsTable = table[catalog.WarrantyTerms]{
	name: "warranty_terms",
	cols: []string{"model_id", "generation_id", "months", "km_limit", "covered_systems", "notes"},
	meta: func(w *catalog.WarrantyTerms) *crm.Meta { return &w.Meta },
	args: func(w *catalog.WarrantyTerms) []any {
		return []any{w.ModelID, nullID(w.GenerationID), w.Months, w.KmLimit, jsonb{nonNil(w.CoveredSystems)}, w.Notes}
	},
	scan: func(w *catalog.WarrantyTerms) ([]any, func()) {
		var gen uuid.NullUUID
		return []any{&w.ModelID, &gen, &w.Months, &w.KmLimit, jsonb{&w.CoveredSystems}, &w.Notes}, func() {
			w.GenerationID = gen.UUID
			if len(w.CoveredSystems) == 0 {
				w.CoveredSystems = nil
			}
		}
	},
}

type makeStore struct{ t *Tx }

// Makes returns the make store of this unit of work.
func (t *Tx) Makes() catalog.MakeStore { return makeStore{t} }

// Get implements catalog.MakeStore.Get (see there for the error kinds).
func (s makeStore) Get(ctx context.Context, id crm.ID) (catalog.Make, error) {
	return makeTable.get(ctx, s.t, id)
}

// Create implements catalog.MakeStore.Create.
func (s makeStore) Create(ctx context.Context, m *catalog.Make) error {
	s.t.dirChanged()
	return makeTable.create(ctx, s.t, m)
}

// Update implements catalog.MakeStore.Update.
func (s makeStore) Update(ctx context.Context, m *catalog.Make) error {
	s.t.dirChanged()
	return makeTable.update(ctx, s.t, m)
}

// List implements catalog.MakeStore.List: from the DB's directory cache when the unit of work has seen the
// version the makes were cached at (makes change the version since migration 083), else read with it.
func (s makeStore) List(ctx context.Context) ([]catalog.Make, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	return listCached(ctx, s.t, d, s.t.dirsMakes(), makeTable, `p.name COLLATE "C", p.id`, slices.Clone[[]catalog.Make])
}

type modelStore struct{ t *Tx }

// Models returns the model store of this unit of work.
func (t *Tx) Models() catalog.ModelStore { return modelStore{t} }

// Get implements catalog.ModelStore.Get (see there for the error kinds).
func (s modelStore) Get(ctx context.Context, id crm.ID) (catalog.Model, error) {
	return modelTable.get(ctx, s.t, id)
}

// Create implements catalog.ModelStore.Create.
func (s modelStore) Create(ctx context.Context, m *catalog.Model) error {
	return modelTable.create(ctx, s.t, m)
}

// Update implements catalog.ModelStore.Update.
func (s modelStore) Update(ctx context.Context, m *catalog.Model) error {
	return modelTable.update(ctx, s.t, m)
}

// List implements catalog.ModelStore.List.
func (s modelStore) List(ctx context.Context, makeID crm.ID) ([]catalog.Model, error) {
	if makeID == (crm.ID{}) {
		return modelTable.list(ctx, s.t, "", `name COLLATE "C", id`)
	}
	return modelTable.list(ctx, s.t, "make_id = $2", `name COLLATE "C", id`, makeID)
}

type generationStore struct{ t *Tx }

// Generations returns the generation store of this unit of work.
func (t *Tx) Generations() catalog.GenerationStore { return generationStore{t} }

// Get implements catalog.GenerationStore.Get (see there for the error kinds).
func (s generationStore) Get(ctx context.Context, id crm.ID) (catalog.Generation, error) {
	return generationTable.get(ctx, s.t, id)
}

// Create implements catalog.GenerationStore.Create.
func (s generationStore) Create(ctx context.Context, g *catalog.Generation) error {
	return generationTable.create(ctx, s.t, g)
}

// Update implements catalog.GenerationStore.Update.
func (s generationStore) Update(ctx context.Context, g *catalog.Generation) error {
	return generationTable.update(ctx, s.t, g)
}

// List implements catalog.GenerationStore.List.
func (s generationStore) List(ctx context.Context, modelID crm.ID) ([]catalog.Generation, error) {
	const order = `year_from, name COLLATE "C", id`
	if modelID == (crm.ID{}) {
		return generationTable.list(ctx, s.t, "", order)
	}
	return generationTable.list(ctx, s.t, "model_id = $2", order, modelID)
}

type configurationStore struct{ t *Tx }

// Configurations returns the configuration store of this unit of work.
func (t *Tx) Configurations() catalog.ConfigurationStore { return configurationStore{t} }

// Get implements catalog.ConfigurationStore.Get (see there for the error kinds).
func (s configurationStore) Get(ctx context.Context, id crm.ID) (catalog.Configuration, error) {
	return configurationTable.get(ctx, s.t, id)
}

// Create implements catalog.ConfigurationStore.Create.
func (s configurationStore) Create(ctx context.Context, c *catalog.Configuration) error {
	if err := c.Invariants(); err != nil {
		return err
	}
	return configurationTable.create(ctx, s.t, c)
}

// Update implements catalog.ConfigurationStore.Update.
func (s configurationStore) Update(ctx context.Context, c *catalog.Configuration) error {
	if err := c.Invariants(); err != nil {
		return err
	}
	return configurationTable.update(ctx, s.t, c)
}

// List implements catalog.ConfigurationStore.List: the filter of catalog.ConfigurationFilter.Match in SQL.
func (s configurationStore) List(ctx context.Context, f catalog.ConfigurationFilter) ([]catalog.Configuration, error) {
	var (
		p     = make(params, 1) // $1 is the dealer, which list passes first
		where []string
	)
	if f.MakeID != (crm.ID{}) {
		where = append(where, "make_id = "+p.add(f.MakeID))
	}
	if f.ModelID != (crm.ID{}) {
		where = append(where, "model_id = "+p.add(f.ModelID))
	}
	if f.GenerationID != (crm.ID{}) {
		where = append(where, "generation_id = "+p.add(f.GenerationID))
	}
	if f.Year != 0 {
		y := p.add(f.Year)
		where = append(where, `generation_id IN (SELECT g.id FROM generations g WHERE g.dealer_id = $1 AND g.year_from <= `+
			y+` AND (g.year_to = 0 OR g.year_to >= `+y+`))`)
	}
	if code := strings.ToUpper(strings.TrimSpace(f.Option)); code != "" {
		where = append(where, "option_codes @> ARRAY["+p.add(code)+"]::text[]")
	}
	if !f.ValidAt.IsZero() {
		at := p.add(f.ValidAt)
		where = append(where, "(valid_from IS NULL OR valid_from <= "+at+") AND (valid_to IS NULL OR valid_to > "+at+")")
	}
	return configurationTable.list(ctx, s.t, strings.Join(where, " AND "), "code, id", p[1:]...)
}

type maintenancePlanStore struct{ t *Tx }

// MaintenancePlans returns the maintenance plan store of this unit of work.
func (t *Tx) MaintenancePlans() catalog.MaintenancePlanStore { return maintenancePlanStore{t} }

// Get implements catalog.MaintenancePlanStore.Get (see there for the error kinds).
func (s maintenancePlanStore) Get(ctx context.Context, id crm.ID) (catalog.MaintenancePlan, error) {
	return maintenancePlanTable.get(ctx, s.t, id)
}

// Create implements catalog.MaintenancePlanStore.Create.
func (s maintenancePlanStore) Create(ctx context.Context, p *catalog.MaintenancePlan) error {
	return maintenancePlanTable.create(ctx, s.t, p)
}

// Update implements catalog.MaintenancePlanStore.Update.
func (s maintenancePlanStore) Update(ctx context.Context, p *catalog.MaintenancePlan) error {
	return maintenancePlanTable.update(ctx, s.t, p)
}

// List implements catalog.MaintenancePlanStore.List.
func (s maintenancePlanStore) List(ctx context.Context, modelID crm.ID) ([]catalog.MaintenancePlan, error) {
	const order = "model_id, generation_id NULLS FIRST, id"
	if modelID == (crm.ID{}) {
		return maintenancePlanTable.list(ctx, s.t, "", order)
	}
	return maintenancePlanTable.list(ctx, s.t, "model_id = $2", order, modelID)
}

type warrantyTermsStore struct{ t *Tx }

// WarrantyTerms returns the warranty terms store of this unit of work.
func (t *Tx) WarrantyTerms() catalog.WarrantyTermsStore { return warrantyTermsStore{t} }

// Get implements catalog.WarrantyTermsStore.Get (see there for the error kinds).
func (s warrantyTermsStore) Get(ctx context.Context, id crm.ID) (catalog.WarrantyTerms, error) {
	return warrantyTermsTable.get(ctx, s.t, id)
}

// Create implements catalog.WarrantyTermsStore.Create.
func (s warrantyTermsStore) Create(ctx context.Context, w *catalog.WarrantyTerms) error {
	return warrantyTermsTable.create(ctx, s.t, w)
}

// Update implements catalog.WarrantyTermsStore.Update.
func (s warrantyTermsStore) Update(ctx context.Context, w *catalog.WarrantyTerms) error {
	return warrantyTermsTable.update(ctx, s.t, w)
}

// List implements catalog.WarrantyTermsStore.List.
func (s warrantyTermsStore) List(ctx context.Context, modelID crm.ID) ([]catalog.WarrantyTerms, error) {
	const order = "model_id, generation_id NULLS FIRST, id"
	if modelID == (crm.ID{}) {
		return warrantyTermsTable.list(ctx, s.t, "", order)
	}
	return warrantyTermsTable.list(ctx, s.t, "model_id = $2", order, modelID)
}

var priceRuleTable = table[catalog.PriceRule]{
	name: "price_rules",
	cols: []string{"name", "make_id", "model_id", "generation_id", "configuration_id", "percent", "currency", "amount",
		"valid_from", "valid_to"},
	meta: func(r *catalog.PriceRule) *crm.Meta { return &r.Meta },
	args: func(r *catalog.PriceRule) []any {
		return []any{r.Name, nullID(r.MakeID), nullID(r.ModelID), nullID(r.GenerationID), nullID(r.ConfigurationID),
			r.Percent, string(r.Amount.Currency), r.Amount.Amount, nullTime(r.ValidFrom), nullTime(r.ValidTo)}
	},
	scan: func(r *catalog.PriceRule) ([]any, func()) {
		var (
			mk, md, gen, cfg uuid.NullUUID
			cur              string
			amount           decimal.Decimal
			from, to         sql.NullTime
		)
		return []any{&r.Name, &mk, &md, &gen, &cfg, &r.Percent, &cur, &amount, &from, &to}, func() {
			r.MakeID, r.ModelID, r.GenerationID, r.ConfigurationID = mk.UUID, md.UUID, gen.UUID, cfg.UUID
			r.Amount = crm.NewMoney(amount, crm.Currency(cur))
			r.ValidFrom, r.ValidTo = timeOf(from), timeOf(to)
		}
	},
}

type priceRuleStore struct{ t *Tx }

// PriceRules returns the price rule store of this unit of work.
func (t *Tx) PriceRules() catalog.PriceRuleStore { return priceRuleStore{t} }

// Get implements catalog.PriceRuleStore.Get (see there for the error kinds).
func (s priceRuleStore) Get(ctx context.Context, id crm.ID) (catalog.PriceRule, error) {
	return priceRuleTable.get(ctx, s.t, id)
}

// Create implements catalog.PriceRuleStore.Create.
func (s priceRuleStore) Create(ctx context.Context, r *catalog.PriceRule) error {
	return priceRuleTable.create(ctx, s.t, r)
}

// Update implements catalog.PriceRuleStore.Update.
func (s priceRuleStore) Update(ctx context.Context, r *catalog.PriceRule) error {
	return priceRuleTable.update(ctx, s.t, r)
}

// List implements catalog.PriceRuleStore.List.
func (s priceRuleStore) List(ctx context.Context) ([]catalog.PriceRule, error) {
	return priceRuleTable.list(ctx, s.t, "", `name COLLATE "C", id`)
}

package memory

import (
	"bytes"
	"context"
	"sort"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

var (
	makeRecords = records[catalog.Make]{name: "makes", meta: func(m *catalog.Make) *crm.Meta { return &m.Meta }}
	makeNames   = uniqueIndex{name: "makes_name"}

	modelRecords = records[catalog.Model]{name: "models", meta: func(m *catalog.Model) *crm.Meta { return &m.Meta }}
	modelNames   = uniqueIndex{name: "models_name"}

	generationRecords = records[catalog.Generation]{name: "generations",
		meta: func(g *catalog.Generation) *crm.Meta { return &g.Meta }}
	generationNames = uniqueIndex{name: "generations_name"}

	configurationRecords = records[catalog.Configuration]{name: "configurations",
		meta: func(c *catalog.Configuration) *crm.Meta { return &c.Meta }, clone: catalog.Configuration.Clone}
	configurationCodes = uniqueIndex{name: "configurations_code"}

	maintenancePlanRecords = records[catalog.MaintenancePlan]{name: "maintenance_plans",
		meta: func(p *catalog.MaintenancePlan) *crm.Meta { return &p.Meta }, clone: catalog.MaintenancePlan.Clone}
	maintenancePlanTargets = uniqueIndex{name: "maintenance_plans_target"}

	warrantyTermsRecords = records[catalog.WarrantyTerms]{name: "warranty_terms",
		meta: func(w *catalog.WarrantyTerms) *crm.Meta { return &w.Meta }, clone: catalog.WarrantyTerms.Clone}
	warrantyTermsTargets = uniqueIndex{name: "warranty_terms_target"}
)

var _ catalog.DirectoryStores = (*Tx)(nil)

// keyed is a record store whose records hold one per-dealer unique key (a name within its parent, a code): the
// memory twin of a PostgreSQL unique index.
type keyed[V any] struct {
	records[V]
	index uniqueIndex
	key   func(*V) string // the unique key; "" is not indexed
	check func(*V) error  // the invariants, or nil
	what  string          // what the key is, for messages ("make name")
}

func (k keyed[V]) create(ctx context.Context, tx *Tx, v *V) error {
	op := "memory." + k.name + ".Create"
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	if k.check != nil {
		if err := k.check(v); err != nil {
			return err
		}
	}
	if !tx.writable {
		return errReadOnly
	}
	if !k.index.free(tx, d, k.key(v), crm.ID{}) {
		return crm.Duplicate(op, "the dealer already has that %s", k.what)
	}
	if err := k.records.create(ctx, tx, v); err != nil {
		return err
	}
	return k.index.move(tx, d, "", k.key(v), k.meta(v).ID)
}

func (k keyed[V]) update(ctx context.Context, tx *Tx, v *V) error {
	op := "memory." + k.name + ".Update"
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	m := k.meta(v)
	old, ok := k.table(tx).get(m.ID)
	if !ok || k.meta(&old).DealerID != d {
		return crm.NotFound(op, "%s %s not found", k.name, m.ID)
	}
	if k.meta(&old).Version != m.Version {
		return crm.Stale(op, "%s %s is at version %d, not %d", k.name, m.ID, k.meta(&old).Version, m.Version)
	}
	if k.check != nil {
		if err := k.check(v); err != nil {
			return err
		}
	}
	if !k.index.free(tx, d, k.key(v), m.ID) {
		return crm.Duplicate(op, "the dealer already has that %s", k.what)
	}
	if err := k.records.update(ctx, tx, v); err != nil {
		return err
	}
	return k.index.move(tx, d, k.key(&old), k.key(v), m.ID)
}

var (
	makes = keyed[catalog.Make]{records: makeRecords, index: makeNames, what: "make name",
		key: func(m *catalog.Make) string { return catalog.NameKey(m.Name) }}
	models = keyed[catalog.Model]{records: modelRecords, index: modelNames, what: "model name within the make",
		key: func(m *catalog.Model) string { return m.MakeID.String() + "/" + catalog.NameKey(m.Name) }}
	generations = keyed[catalog.Generation]{records: generationRecords, index: generationNames,
		what: "generation name within the model",
		key:  func(g *catalog.Generation) string { return g.ModelID.String() + "/" + catalog.NameKey(g.Name) }}
	configurations = keyed[catalog.Configuration]{records: configurationRecords, index: configurationCodes,
		what: "configuration code", key: func(c *catalog.Configuration) string { return c.Code },
		check: func(c *catalog.Configuration) error { return c.Invariants() }}
	maintenancePlans = keyed[catalog.MaintenancePlan]{records: maintenancePlanRecords, index: maintenancePlanTargets,
		what: "maintenance plan for the model or generation",
		key:  func(p *catalog.MaintenancePlan) string { return p.ModelID.String() + "/" + p.GenerationID.String() }}
	warrantyTerms = keyed[catalog.WarrantyTerms]{records: warrantyTermsRecords, index: warrantyTermsTargets,
		what: "warranty terms for the model or generation",
		key:  func(w *catalog.WarrantyTerms) string { return w.ModelID.String() + "/" + w.GenerationID.String() }}
)

// less orders IDs as PostgreSQL orders uuids (bytes).
func less(a, b crm.ID) bool { return bytes.Compare(a[:], b[:]) < 0 }

type makeStore struct{ tx *Tx }

// Makes returns the make store of this unit of work.
func (tx *Tx) Makes() catalog.MakeStore { return makeStore{tx} }

// Get implements catalog.MakeStore.Get (see there for the error kinds).
func (s makeStore) Get(ctx context.Context, id crm.ID) (catalog.Make, error) {
	return makes.get(ctx, s.tx, id)
}

// Create implements catalog.MakeStore.Create.
func (s makeStore) Create(ctx context.Context, m *catalog.Make) error {
	return makes.create(ctx, s.tx, m)
}

// Update implements catalog.MakeStore.Update.
func (s makeStore) Update(ctx context.Context, m *catalog.Make) error {
	return makes.update(ctx, s.tx, m)
}

// List implements catalog.MakeStore.List.
func (s makeStore) List(ctx context.Context) ([]catalog.Make, error) {
	out, err := makes.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return less(out[i].ID, out[j].ID)
	})
	return out, err
}

type modelStore struct{ tx *Tx }

// Models returns the model store of this unit of work.
func (tx *Tx) Models() catalog.ModelStore { return modelStore{tx} }

// Get implements catalog.ModelStore.Get (see there for the error kinds).
func (s modelStore) Get(ctx context.Context, id crm.ID) (catalog.Model, error) {
	return models.get(ctx, s.tx, id)
}

// Create implements catalog.ModelStore.Create.
func (s modelStore) Create(ctx context.Context, m *catalog.Model) error {
	return models.create(ctx, s.tx, m)
}

// Update implements catalog.ModelStore.Update.
func (s modelStore) Update(ctx context.Context, m *catalog.Model) error {
	return models.update(ctx, s.tx, m)
}

// List implements catalog.ModelStore.List.
func (s modelStore) List(ctx context.Context, makeID crm.ID) ([]catalog.Model, error) {
	out, err := models.all(ctx, s.tx, func(m *catalog.Model) bool { return makeID == crm.ID{} || m.MakeID == makeID })
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return less(out[i].ID, out[j].ID)
	})
	return out, err
}

type generationStore struct{ tx *Tx }

// Generations returns the generation store of this unit of work.
func (tx *Tx) Generations() catalog.GenerationStore { return generationStore{tx} }

// Get implements catalog.GenerationStore.Get (see there for the error kinds).
func (s generationStore) Get(ctx context.Context, id crm.ID) (catalog.Generation, error) {
	return generations.get(ctx, s.tx, id)
}

// Create implements catalog.GenerationStore.Create.
func (s generationStore) Create(ctx context.Context, g *catalog.Generation) error {
	return generations.create(ctx, s.tx, g)
}

// Update implements catalog.GenerationStore.Update.
func (s generationStore) Update(ctx context.Context, g *catalog.Generation) error {
	return generations.update(ctx, s.tx, g)
}

// List implements catalog.GenerationStore.List.
func (s generationStore) List(ctx context.Context, modelID crm.ID) ([]catalog.Generation, error) {
	out, err := generations.all(ctx, s.tx, func(g *catalog.Generation) bool {
		return modelID == crm.ID{} || g.ModelID == modelID
	})
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.YearFrom != b.YearFrom {
			return a.YearFrom < b.YearFrom
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return less(a.ID, b.ID)
	})
	return out, err
}

type configurationStore struct{ tx *Tx }

// Configurations returns the configuration store of this unit of work.
func (tx *Tx) Configurations() catalog.ConfigurationStore { return configurationStore{tx} }

// Get implements catalog.ConfigurationStore.Get (see there for the error kinds).
func (s configurationStore) Get(ctx context.Context, id crm.ID) (catalog.Configuration, error) {
	return configurations.get(ctx, s.tx, id)
}

// Create implements catalog.ConfigurationStore.Create.
func (s configurationStore) Create(ctx context.Context, c *catalog.Configuration) error {
	return configurations.create(ctx, s.tx, c)
}

// Update implements catalog.ConfigurationStore.Update.
func (s configurationStore) Update(ctx context.Context, c *catalog.Configuration) error {
	return configurations.update(ctx, s.tx, c)
}

// List implements catalog.ConfigurationStore.List.
func (s configurationStore) List(ctx context.Context, f catalog.ConfigurationFilter) ([]catalog.Configuration, error) {
	f.Option = strings.ToUpper(strings.TrimSpace(f.Option))
	gens := generationRecords.table(s.tx)
	out, err := configurations.all(ctx, s.tx, func(c *catalog.Configuration) bool {
		g, _ := gens.get(c.GenerationID)
		return f.Match(*c, g)
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return less(out[i].ID, out[j].ID)
	})
	return out, err
}

type maintenancePlanStore struct{ tx *Tx }

// MaintenancePlans returns the maintenance plan store of this unit of work.
func (tx *Tx) MaintenancePlans() catalog.MaintenancePlanStore { return maintenancePlanStore{tx} }

// Get implements catalog.MaintenancePlanStore.Get (see there for the error kinds).
func (s maintenancePlanStore) Get(ctx context.Context, id crm.ID) (catalog.MaintenancePlan, error) {
	return maintenancePlans.get(ctx, s.tx, id)
}

// Create implements catalog.MaintenancePlanStore.Create.
func (s maintenancePlanStore) Create(ctx context.Context, p *catalog.MaintenancePlan) error {
	return maintenancePlans.create(ctx, s.tx, p)
}

// Update implements catalog.MaintenancePlanStore.Update.
func (s maintenancePlanStore) Update(ctx context.Context, p *catalog.MaintenancePlan) error {
	return maintenancePlans.update(ctx, s.tx, p)
}

// List implements catalog.MaintenancePlanStore.List.
func (s maintenancePlanStore) List(ctx context.Context, modelID crm.ID) ([]catalog.MaintenancePlan, error) {
	out, err := maintenancePlans.all(ctx, s.tx, func(p *catalog.MaintenancePlan) bool {
		return modelID == crm.ID{} || p.ModelID == modelID
	})
	sort.Slice(out, func(i, j int) bool {
		return attachedLess(out[i].ModelID, out[i].GenerationID, out[j].ModelID, out[j].GenerationID)
	})
	return out, err
}

type warrantyTermsStore struct{ tx *Tx }

// WarrantyTerms returns the warranty terms store of this unit of work.
func (tx *Tx) WarrantyTerms() catalog.WarrantyTermsStore { return warrantyTermsStore{tx} }

// Get implements catalog.WarrantyTermsStore.Get (see there for the error kinds).
func (s warrantyTermsStore) Get(ctx context.Context, id crm.ID) (catalog.WarrantyTerms, error) {
	return warrantyTerms.get(ctx, s.tx, id)
}

// Create implements catalog.WarrantyTermsStore.Create.
func (s warrantyTermsStore) Create(ctx context.Context, w *catalog.WarrantyTerms) error {
	return warrantyTerms.create(ctx, s.tx, w)
}

// Update implements catalog.WarrantyTermsStore.Update.
func (s warrantyTermsStore) Update(ctx context.Context, w *catalog.WarrantyTerms) error {
	return warrantyTerms.update(ctx, s.tx, w)
}

// List implements catalog.WarrantyTermsStore.List.
func (s warrantyTermsStore) List(ctx context.Context, modelID crm.ID) ([]catalog.WarrantyTerms, error) {
	out, err := warrantyTerms.all(ctx, s.tx, func(w *catalog.WarrantyTerms) bool {
		return modelID == crm.ID{} || w.ModelID == modelID
	})
	sort.Slice(out, func(i, j int) bool {
		return attachedLess(out[i].ModelID, out[i].GenerationID, out[j].ModelID, out[j].GenerationID)
	})
	return out, err
}

// attachedLess orders records attached to a model or generation: by model, the model's own first (the zero
// generation sorts first), then by generation.
func attachedLess(m1, g1, m2, g2 crm.ID) bool {
	if m1 != m2 {
		return less(m1, m2)
	}
	return less(g1, g2)
}

var priceRuleRecords = records[catalog.PriceRule]{name: "price_rules",
	meta: func(r *catalog.PriceRule) *crm.Meta { return &r.Meta }}

type priceRuleStore struct{ tx *Tx }

// PriceRules returns the price rule store of this unit of work.
func (tx *Tx) PriceRules() catalog.PriceRuleStore { return priceRuleStore{tx} }

// Get implements catalog.PriceRuleStore.Get (see there for the error kinds).
func (s priceRuleStore) Get(ctx context.Context, id crm.ID) (catalog.PriceRule, error) {
	return priceRuleRecords.get(ctx, s.tx, id)
}

// Create implements catalog.PriceRuleStore.Create.
func (s priceRuleStore) Create(ctx context.Context, r *catalog.PriceRule) error {
	if !s.tx.writable {
		return errReadOnly
	}
	return priceRuleRecords.create(ctx, s.tx, r)
}

// Update implements catalog.PriceRuleStore.Update.
func (s priceRuleStore) Update(ctx context.Context, r *catalog.PriceRule) error {
	return priceRuleRecords.update(ctx, s.tx, r)
}

// List implements catalog.PriceRuleStore.List.
func (s priceRuleStore) List(ctx context.Context) ([]catalog.PriceRule, error) {
	out, err := priceRuleRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return less(out[i].ID, out[j].ID)
	})
	return out, err
}

package catalog

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/crm"
)

// ResolveModel finds the dealer's model named modelName of the make named makeName (names compared trimmed and
// without case) and, when year is not 0, the generation of that model covering the year (the latest-starting one
// if several do; the zero Generation when none does). crm.KindNotFound when the make or the model is missing.
// It reads through s, so it runs inside any unit of work whose bundle has the directory stores.
func ResolveModel(ctx context.Context, s ModelDirectory, makeName, modelName string, year int) (Model, Generation, error) {
	mk, err := resolveMake(ctx, s, makeName)
	if err != nil {
		return Model{}, Generation{}, err
	}
	models, err := s.Models().List(ctx, mk.ID)
	if err != nil {
		return Model{}, Generation{}, err
	}
	md, err := modelNamed(models, mk, modelName)
	if err != nil {
		return Model{}, Generation{}, err
	}
	var gen Generation
	if year != 0 {
		gens, err := s.Generations().List(ctx, md.ID)
		if err != nil {
			return Model{}, Generation{}, err
		}
		gen = generationFor(gens, year)
	}
	return md, gen, nil
}

// resolveMake finds the dealer's make named makeName (the last of List's order if several match, as ever);
// crm.KindNotFound when none does.
func resolveMake(ctx context.Context, s ModelDirectory, makeName string) (Make, error) {
	makes, err := s.Makes().List(ctx)
	if err != nil {
		return Make{}, err
	}
	return makeNamed(makes, makeName)
}

// makeNamed picks the make named makeName of makes (the last of their order if several match); crm.KindNotFound
// when none does.
func makeNamed(makes []Make, makeName string) (Make, error) {
	var mk *Make
	for i := range makes {
		if sameName(makes[i].Name, makeName) {
			mk = &makes[i]
		}
	}
	if mk == nil {
		return Make{}, crm.NotFound("catalog.ResolveModel", "the directory has no make %q", makeName)
	}
	return *mk, nil
}

// modelNamed picks the model named modelName of make mk's models (the last of their order if several match);
// crm.KindNotFound when none does.
func modelNamed(models []Model, mk Make, modelName string) (Model, error) {
	var md *Model
	for i := range models {
		if sameName(models[i].Name, modelName) {
			md = &models[i]
		}
	}
	if md == nil {
		return Model{}, crm.NotFound("catalog.ResolveModel", "the directory has no model %q of %s", modelName, mk.Name)
	}
	return *md, nil
}

// generationFor returns the generation of gens covering year (the latest-starting one if several do; the zero
// Generation when none does).
func generationFor(gens []Generation, year int) Generation {
	var gen Generation
	for _, g := range gens {
		if g.Covers(year) && g.YearFrom >= gen.YearFrom {
			gen = g
		}
	}
	return gen
}

// MaintenancePlanFor returns the maintenance plan that applies to a car of make, model and model year (0:
// unknown): the plan of the generation covering the year if it has one (it overrides the model's), else the
// model's own. crm.KindNotFound when the make, the model or any applying plan is missing. It runs inside any unit
// of work whose bundle has PerModelStores (the service side's, say).
func MaintenancePlanFor(ctx context.Context, s PerModelStores, makeName, modelName string, year int) (MaintenancePlan, error) {
	m, g, err := ResolveModel(ctx, s, makeName, modelName, year)
	if err != nil {
		return MaintenancePlan{}, err
	}
	plans, err := s.MaintenancePlans().List(ctx, m.ID)
	if err != nil {
		return MaintenancePlan{}, err
	}
	return pick(plans, g.ID, func(p *MaintenancePlan) crm.ID { return p.GenerationID },
		crm.NotFound("catalog.MaintenancePlanFor", "no maintenance plan for %s %s", makeName, modelName))
}

// MakeRecords is what a reader reads of the directory for one car at once, along with other records (the service
// side's overview, aftersales.OverviewReader): every make, and the ModelRecords of the one whose name key is the
// name asked for (its models, and the generations and maintenance plans of its model whose name key is the model
// name asked for; its warranty terms may be left out).
type MakeRecords struct {
	Makes   []Make       // every make, as MakeStore.List gives them
	Matched crm.ID       // the make of Makes whose name key is the make name asked for; zero when none is
	Models  ModelRecords // Matched's models and the records of the one matched by name key (ModelRecords.Matched)
}

// MaintenancePlanFrom returns what MaintenancePlanFor returns (its errors included), picked by the same rules
// from records read ahead (rec) instead of the stores. When the make or the model the name rule picks is not the
// one rec's reader matched by name key (a name whose key differs from its case folding), rec does not hold what
// the answer needs and MaintenancePlanFor reads it through s.
func MaintenancePlanFrom(ctx context.Context, s PerModelStores, rec MakeRecords, makeName, modelName string, year int) (MaintenancePlan, error) {
	mk, err := makeNamed(rec.Makes, makeName)
	if err != nil {
		return MaintenancePlan{}, err
	}
	if mk.ID != rec.Matched {
		return MaintenancePlanFor(ctx, s, makeName, modelName, year)
	}
	md, err := modelNamed(rec.Models.Models, mk, modelName)
	if err != nil {
		return MaintenancePlan{}, err
	}
	if md.ID != rec.Models.Matched {
		return MaintenancePlanFor(ctx, s, makeName, modelName, year)
	}
	var gen Generation
	if year != 0 {
		gen = generationFor(rec.Models.Generations, year)
	}
	return pick(rec.Models.Plans, gen.ID, func(p *MaintenancePlan) crm.ID { return p.GenerationID },
		crm.NotFound("catalog.MaintenancePlanFor", "no maintenance plan for %s %s", makeName, modelName))
}

// WarrantyTermsFor returns the manufacturer warranty terms that apply to a car of make, model and model year (0:
// unknown): the covering generation's if it has terms, else the model's. crm.KindNotFound when the make, the
// model or any applying terms are missing. It runs inside any unit of work whose bundle has PerModelStores.
func WarrantyTermsFor(ctx context.Context, s PerModelStores, makeName, modelName string, year int) (WarrantyTerms, error) {
	m, g, err := ResolveModel(ctx, s, makeName, modelName, year)
	if err != nil {
		return WarrantyTerms{}, err
	}
	terms, err := s.WarrantyTerms().List(ctx, m.ID)
	if err != nil {
		return WarrantyTerms{}, err
	}
	return pick(terms, g.ID, func(w *WarrantyTerms) crm.ID { return w.GenerationID },
		crm.NotFound("catalog.WarrantyTermsFor", "no warranty terms for %s %s", makeName, modelName))
}

// pick returns the record of generation gen (when not zero), else the model's own (generation zero), else missing.
func pick[T any](all []T, gen crm.ID, genOf func(*T) crm.ID, missing error) (T, error) {
	var own *T
	for i := range all {
		switch genOf(&all[i]) {
		case gen:
			if gen != (crm.ID{}) {
				return all[i], nil
			}
			own = &all[i]
		case crm.ID{}:
			own = &all[i]
		}
	}
	if own == nil {
		var zero T
		return zero, missing
	}
	return *own, nil
}

// PerModel is what the directory has for a car of one make, model and model year: the maintenance plan that
// MaintenancePlanFor returns and the warranty terms that WarrantyTermsFor returns, each with whether there is one.
type PerModel struct {
	Plan     MaintenancePlan
	HasPlan  bool
	Terms    WarrantyTerms
	HasTerms bool
}

// ModelRecords is what a ModelRecordsReader reads of one make at once: its models, and the generations,
// maintenance plans and warranty terms of the one whose name key (NameKey) is the name asked for.
type ModelRecords struct {
	Models      []Model           // every model of the make, as ModelStore.List gives them
	Matched     crm.ID            // the model of Models whose name key is the name asked for; zero when none is
	Generations []Generation      // Matched's, as GenerationStore.List gives them
	Plans       []MaintenancePlan // Matched's, as MaintenancePlanStore.List gives them
	Terms       []WarrantyTerms   // Matched's, as WarrantyTermsStore.List gives them
}

// ModelRecordsReader is an optional capability of a PerModelStores bundle: reading what PerModelFor needs of one
// make in one go (the PostgreSQL adapter's is one statement, so one round trip, where the stores take four).
// PerModelFor asks for it with a type assertion and reads store by store when the bundle lacks it; both give the
// same PerModel.
type ModelRecordsReader interface {
	// ReadModelRecords reads make makeID's models and, for the one whose name key is NameKey(modelName), its
	// generations, plans and terms.
	ReadModelRecords(ctx context.Context, makeID crm.ID, modelName string) (ModelRecords, error)
}

// PerModelFor returns both the maintenance plan and the warranty terms that apply to a car of make, model and
// model year (0: unknown) — what MaintenancePlanFor and WarrantyTermsFor return, with the make, model and
// generation resolved once instead of once each, and through s's ModelRecordsReader when it has one. A make,
// model, plan or terms the directory does not have leave the part zero (HasPlan, HasTerms false); the error is
// the stores' only.
func PerModelFor(ctx context.Context, s PerModelStores, makeName, modelName string, year int) (PerModel, error) {
	mk, err := resolveMake(ctx, s, makeName)
	if errors.Is(err, crm.ErrNotFound) {
		return PerModel{}, nil
	}
	if err != nil {
		return PerModel{}, err
	}
	var (
		models []Model
		rec    ModelRecords
	)
	r, fast := s.(ModelRecordsReader)
	if fast {
		if rec, err = r.ReadModelRecords(ctx, mk.ID, modelName); err != nil {
			return PerModel{}, err
		}
		models = rec.Models
	} else if models, err = s.Models().List(ctx, mk.ID); err != nil {
		return PerModel{}, err
	}
	md, err := modelNamed(models, mk, modelName)
	if errors.Is(err, crm.ErrNotFound) {
		return PerModel{}, nil
	}
	if err != nil {
		return PerModel{}, err
	}
	if !fast || md.ID != rec.Matched { // the model matched by name is not the one read along (or none was)
		rec = ModelRecords{Matched: md.ID}
		if year != 0 {
			if rec.Generations, err = s.Generations().List(ctx, md.ID); err != nil {
				return PerModel{}, err
			}
		}
		if rec.Plans, err = s.MaintenancePlans().List(ctx, md.ID); err != nil {
			return PerModel{}, err
		}
		if rec.Terms, err = s.WarrantyTerms().List(ctx, md.ID); err != nil {
			return PerModel{}, err
		}
	}
	var gen Generation
	if year != 0 {
		gen = generationFor(rec.Generations, year)
	}
	var out PerModel
	out.Plan, err = pick(rec.Plans, gen.ID, func(p *MaintenancePlan) crm.ID { return p.GenerationID }, crm.ErrNotFound)
	out.HasPlan = err == nil
	out.Terms, err = pick(rec.Terms, gen.ID, func(w *WarrantyTerms) crm.ID { return w.GenerationID }, crm.ErrNotFound)
	out.HasTerms = err == nil
	return out, nil
}

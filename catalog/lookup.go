package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// ResolveModel finds the dealer's model named modelName of the make named makeName (names compared trimmed and
// without case) and, when year is not 0, the generation of that model covering the year (the latest-starting one
// if several do; the zero Generation when none does). crm.KindNotFound when the make or the model is missing.
// It reads through s, so it runs inside any unit of work whose bundle has the directory stores.
func ResolveModel(ctx context.Context, s ModelDirectory, makeName, modelName string, year int) (Model, Generation, error) {
	const op = "catalog.ResolveModel"
	makes, err := s.Makes().List(ctx)
	if err != nil {
		return Model{}, Generation{}, err
	}
	var mk *Make
	for i := range makes {
		if sameName(makes[i].Name, makeName) {
			mk = &makes[i]
		}
	}
	if mk == nil {
		return Model{}, Generation{}, crm.NotFound(op, "the directory has no make %q", makeName)
	}
	models, err := s.Models().List(ctx, mk.ID)
	if err != nil {
		return Model{}, Generation{}, err
	}
	var md *Model
	for i := range models {
		if sameName(models[i].Name, modelName) {
			md = &models[i]
		}
	}
	if md == nil {
		return Model{}, Generation{}, crm.NotFound(op, "the directory has no model %q of %s", modelName, mk.Name)
	}
	var gen Generation
	if year != 0 {
		gens, err := s.Generations().List(ctx, md.ID)
		if err != nil {
			return Model{}, Generation{}, err
		}
		for _, g := range gens {
			if g.Covers(year) && g.YearFrom >= gen.YearFrom {
				gen = g
			}
		}
	}
	return *md, gen, nil
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

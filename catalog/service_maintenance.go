package catalog

import (
	"context"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// attached is what a maintenance plan or warranty terms hang on: a model, or a generation of it.
type attached interface {
	target() (model, generation *crm.ID)
}

func (mp *MaintenancePlan) target() (*crm.ID, *crm.ID) { return &mp.ModelID, &mp.GenerationID }
func (w *WarrantyTerms) target() (*crm.ID, *crm.ID)    { return &w.ModelID, &w.GenerationID }

// attach checks what a plan or terms hang on: a generation fills in its model (a model given with it must be the
// generation's); either must be the dealer's. Problems are named model_id and generation_id.
func attach(ctx context.Context, st ModelDirectory, a attached) error {
	model, gen := a.target()
	if *gen != (crm.ID{}) {
		g, err := parent(ctx, "generation_id", st.Generations().Get, *gen)
		if err != nil {
			return err
		}
		if *model != (crm.ID{}) && *model != g.ModelID {
			return crm.Invalid("catalog", crm.FieldError{Field: "generation_id", Message: "is a generation of another model"})
		}
		*model = g.ModelID
		return nil
	}
	if *model == (crm.ID{}) {
		return crm.Invalid("catalog", crm.FieldError{Field: "model_id", Message: "is required (or generation_id)"})
	}
	_, err := parent(ctx, "model_id", st.Models().Get, *model)
	return err
}

// checkWorks checks that the labour operations and parts a plan's works name are the dealer's.
func checkWorks(ctx context.Context, st Stores, mp MaintenancePlan) error {
	var p crm.Problems
	for i, v := range mp.Visits {
		for j, w := range v.Works {
			f := fmt.Sprintf("visits[%d].works[%d]", i, j)
			if w.LabourID != (crm.ID{}) {
				if _, err := st.Labours().Get(ctx, w.LabourID); crm.KindOf(err) == crm.KindNotFound {
					p.Add(f+".labour_id", "no such labour operation of the dealer")
				} else if err != nil {
					return err
				}
			}
			if w.PartID != (crm.ID{}) {
				if _, err := st.Parts().Get(ctx, w.PartID); crm.KindOf(err) == crm.KindNotFound {
					p.Add(f+".part_id", "no such part of the dealer")
				} else if err != nil {
					return err
				}
			}
		}
	}
	return p.Err("catalog.MaintenancePlan")
}

// CreateMaintenancePlan attaches a maintenance plan to mp.ModelID or mp.GenerationID (a generation's plan
// overrides its model's; the model is filled in from the generation) and saves it. crm.KindInvalid naming the
// bad fields (model_id, generation_id, a work's labour_id or part_id not the dealer's, ...), crm.KindConflict
// (duplicate) when the model or generation already has a plan.
func (s *Service) CreateMaintenancePlan(ctx context.Context, mp MaintenancePlan) (MaintenancePlan, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (MaintenancePlan, error) {
		d, err := crm.DealerFrom(ctx)
		if err != nil {
			return MaintenancePlan{}, err
		}
		if err := attach(ctx, st, &mp); err != nil {
			return MaintenancePlan{}, err
		}
		n, err := NewMaintenancePlan(d, mp, crm.Now(ctx))
		if err != nil {
			return MaintenancePlan{}, err
		}
		if err := checkWorks(ctx, st, n); err != nil {
			return MaintenancePlan{}, err
		}
		return n, st.MaintenancePlans().Create(ctx, &n)
	})
}

// GetMaintenancePlan returns the plan; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetMaintenancePlan(ctx context.Context, id crm.ID) (MaintenancePlan, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (MaintenancePlan, error) {
		return st.MaintenancePlans().Get(ctx, id)
	})
}

// UpdateMaintenancePlan replaces the name, intervals and visits of plan id with card's (what it is attached to is
// kept), provided expectedVersion is the stored one (0: unconditional). crm.KindStaleVersion, crm.KindNotFound,
// crm.KindInvalid naming the bad fields.
func (s *Service) UpdateMaintenancePlan(ctx context.Context, id crm.ID, expectedVersion int64, card MaintenancePlan) (MaintenancePlan, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (MaintenancePlan, error) {
		mp, err := st.MaintenancePlans().Get(ctx, id)
		if err != nil {
			return MaintenancePlan{}, err
		}
		if err := crm.CheckVersion("catalog.Service.UpdateMaintenancePlan", mp.Version, expectedVersion); err != nil {
			return MaintenancePlan{}, err
		}
		if err := mp.Edit(card); err != nil {
			return MaintenancePlan{}, err
		}
		if err := checkWorks(ctx, st, mp); err != nil {
			return MaintenancePlan{}, err
		}
		return mp, st.MaintenancePlans().Update(ctx, &mp)
	})
}

// ListMaintenancePlans returns the plans of model, its own and its generations' (the zero ID: every plan).
func (s *Service) ListMaintenancePlans(ctx context.Context, modelID crm.ID) ([]MaintenancePlan, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) ([]MaintenancePlan, error) {
		return st.MaintenancePlans().List(ctx, modelID)
	})
}

// FindMaintenancePlan returns the plan that applies to a car of make and model (names, compared without case)
// of model year year (0: unknown): the plan of the generation that covers the year, else the model's.
// crm.KindNotFound when the make, the model or a plan is missing.
func (s *Service) FindMaintenancePlan(ctx context.Context, makeName, modelName string, year int) (MaintenancePlan, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (MaintenancePlan, error) {
		return MaintenancePlanFor(ctx, st, makeName, modelName, year)
	})
}

// CreateWarrantyTerms attaches manufacturer warranty terms to w.ModelID or w.GenerationID (a generation's
// terms override its model's) and saves them. crm.KindInvalid naming the bad fields, crm.KindConflict
// (duplicate) when the model or generation already has terms.
func (s *Service) CreateWarrantyTerms(ctx context.Context, w WarrantyTerms) (WarrantyTerms, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (WarrantyTerms, error) {
		d, err := crm.DealerFrom(ctx)
		if err != nil {
			return WarrantyTerms{}, err
		}
		if err := attach(ctx, st, &w); err != nil {
			return WarrantyTerms{}, err
		}
		n, err := NewWarrantyTerms(d, w, crm.Now(ctx))
		if err != nil {
			return WarrantyTerms{}, err
		}
		return n, st.WarrantyTerms().Create(ctx, &n)
	})
}

// GetWarrantyTerms returns the terms; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetWarrantyTerms(ctx context.Context, id crm.ID) (WarrantyTerms, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (WarrantyTerms, error) {
		return st.WarrantyTerms().Get(ctx, id)
	})
}

// UpdateWarrantyTerms replaces the months, mileage limit, systems and notes of terms id with card's, provided
// expectedVersion is the stored one (0: unconditional). crm.KindStaleVersion, crm.KindNotFound, crm.KindInvalid.
func (s *Service) UpdateWarrantyTerms(ctx context.Context, id crm.ID, expectedVersion int64, card WarrantyTerms) (WarrantyTerms, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (WarrantyTerms, error) {
		w, err := st.WarrantyTerms().Get(ctx, id)
		if err != nil {
			return WarrantyTerms{}, err
		}
		if err := crm.CheckVersion("catalog.Service.UpdateWarrantyTerms", w.Version, expectedVersion); err != nil {
			return WarrantyTerms{}, err
		}
		if err := w.Edit(card); err != nil {
			return WarrantyTerms{}, err
		}
		return w, st.WarrantyTerms().Update(ctx, &w)
	})
}

// ListWarrantyTerms returns the terms of model, its own and its generations' (the zero ID: all).
func (s *Service) ListWarrantyTerms(ctx context.Context, modelID crm.ID) ([]WarrantyTerms, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) ([]WarrantyTerms, error) {
		return st.WarrantyTerms().List(ctx, modelID)
	})
}

// FindWarrantyTerms returns the warranty terms that apply to a car of make, model and model year (0: unknown):
// the generation's, else the model's. crm.KindNotFound when the make, the model or terms are missing.
func (s *Service) FindWarrantyTerms(ctx context.Context, makeName, modelName string, year int) (WarrantyTerms, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (WarrantyTerms, error) {
		return WarrantyTermsFor(ctx, st, makeName, modelName, year)
	})
}

package catalog

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// update runs fn in a read-write unit of work and returns what it built.
func update[T any](ctx context.Context, s *Service, fn func(ctx context.Context, st Stores) (T, error)) (T, error) {
	var out T
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = fn(ctx, st)
		return err
	})
	return out, err
}

// view runs fn in a read-only unit of work and returns what it read.
func view[T any](ctx context.Context, s *Service, fn func(ctx context.Context, st Stores) (T, error)) (T, error) {
	var out T
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = fn(ctx, st)
		return err
	})
	return out, err
}

// parent reads a parent record for a child being saved: a missing one (or another dealer's) is the child's bad
// field, not a missing resource.
func parent[T any](ctx context.Context, field string, get func(context.Context, crm.ID) (T, error), id crm.ID) (T, error) {
	v, err := get(ctx, id)
	if crm.KindOf(err) == crm.KindNotFound {
		return v, crm.Invalid("catalog", crm.FieldError{Field: field, Message: "no such record of the dealer: " + id.String()})
	}
	return v, err
}

// CreateMake validates m with NewMake and saves it. It returns the saved make; crm.KindInvalid naming the bad
// fields, crm.KindConflict (code duplicate) when the dealer has a make of that name.
func (s *Service) CreateMake(ctx context.Context, m Make) (Make, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (Make, error) {
		d, err := crm.DealerFrom(ctx)
		if err != nil {
			return Make{}, err
		}
		n, err := NewMake(d, m, crm.Now(ctx))
		if err != nil {
			return Make{}, err
		}
		return n, st.Makes().Create(ctx, &n)
	})
}

// GetMake returns the make; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetMake(ctx context.Context, id crm.ID) (Make, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (Make, error) { return st.Makes().Get(ctx, id) })
}

// UpdateMake replaces the name and country of make id with card's, provided expectedVersion is the stored one (0:
// unconditional). crm.KindStaleVersion, crm.KindNotFound, crm.KindInvalid, crm.KindConflict (duplicate name).
func (s *Service) UpdateMake(ctx context.Context, id crm.ID, expectedVersion int64, card Make) (Make, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (Make, error) {
		m, err := st.Makes().Get(ctx, id)
		if err != nil {
			return Make{}, err
		}
		if err := crm.CheckVersion("catalog.Service.UpdateMake", m.Version, expectedVersion); err != nil {
			return Make{}, err
		}
		if err := m.Edit(card); err != nil {
			return Make{}, err
		}
		return m, st.Makes().Update(ctx, &m)
	})
}

// ListMakes returns every make of the dealer ordered by name.
func (s *Service) ListMakes(ctx context.Context) ([]Make, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) ([]Make, error) { return st.Makes().List(ctx) })
}

// CreateModel validates m with NewModel and saves it under its make. crm.KindInvalid naming the bad fields
// (make_id when the make is not the dealer's), crm.KindConflict (duplicate) when the make has a model of that name.
func (s *Service) CreateModel(ctx context.Context, m Model) (Model, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (Model, error) {
		d, err := crm.DealerFrom(ctx)
		if err != nil {
			return Model{}, err
		}
		n, err := NewModel(d, m, crm.Now(ctx))
		if err != nil {
			return Model{}, err
		}
		if _, err := parent(ctx, "make_id", st.Makes().Get, n.MakeID); err != nil {
			return Model{}, err
		}
		return n, st.Models().Create(ctx, &n)
	})
}

// GetModel returns the model; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetModel(ctx context.Context, id crm.ID) (Model, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (Model, error) { return st.Models().Get(ctx, id) })
}

// UpdateModel replaces the name and code of model id with card's (the make is kept), provided expectedVersion is
// the stored one (0: unconditional). crm.KindStaleVersion, crm.KindNotFound, crm.KindInvalid, crm.KindConflict.
func (s *Service) UpdateModel(ctx context.Context, id crm.ID, expectedVersion int64, card Model) (Model, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (Model, error) {
		m, err := st.Models().Get(ctx, id)
		if err != nil {
			return Model{}, err
		}
		if err := crm.CheckVersion("catalog.Service.UpdateModel", m.Version, expectedVersion); err != nil {
			return Model{}, err
		}
		if err := m.Edit(card); err != nil {
			return Model{}, err
		}
		return m, st.Models().Update(ctx, &m)
	})
}

// ListModels returns the models of make (the zero ID: every model) ordered by name.
func (s *Service) ListModels(ctx context.Context, makeID crm.ID) ([]Model, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) ([]Model, error) { return st.Models().List(ctx, makeID) })
}

// CreateGeneration validates g with NewGeneration and saves it under its model (its make is taken from the
// model). crm.KindInvalid naming the bad fields (model_id when the model is not the dealer's), crm.KindConflict.
func (s *Service) CreateGeneration(ctx context.Context, g Generation) (Generation, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (Generation, error) {
		d, err := crm.DealerFrom(ctx)
		if err != nil {
			return Generation{}, err
		}
		n, err := NewGeneration(d, g, crm.Now(ctx))
		if err != nil {
			return Generation{}, err
		}
		m, err := parent(ctx, "model_id", st.Models().Get, n.ModelID)
		if err != nil {
			return Generation{}, err
		}
		n.MakeID = m.MakeID
		return n, st.Generations().Create(ctx, &n)
	})
}

// GetGeneration returns the generation; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetGeneration(ctx context.Context, id crm.ID) (Generation, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (Generation, error) { return st.Generations().Get(ctx, id) })
}

// UpdateGeneration replaces the name and years of generation id with card's, provided expectedVersion is the
// stored one (0: unconditional). crm.KindStaleVersion, crm.KindNotFound, crm.KindInvalid, crm.KindConflict.
func (s *Service) UpdateGeneration(ctx context.Context, id crm.ID, expectedVersion int64, card Generation) (Generation, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (Generation, error) {
		g, err := st.Generations().Get(ctx, id)
		if err != nil {
			return Generation{}, err
		}
		if err := crm.CheckVersion("catalog.Service.UpdateGeneration", g.Version, expectedVersion); err != nil {
			return Generation{}, err
		}
		if err := g.Edit(card, crm.Now(ctx)); err != nil {
			return Generation{}, err
		}
		return g, st.Generations().Update(ctx, &g)
	})
}

// ListGenerations returns the generations of model (the zero ID: every generation) ordered by first year.
func (s *Service) ListGenerations(ctx context.Context, modelID crm.ID) ([]Generation, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) ([]Generation, error) {
		return st.Generations().List(ctx, modelID)
	})
}

// CreateConfiguration validates c with NewConfiguration and saves it under its generation (model and make are
// taken from the generation). crm.KindInvalid naming the bad fields (generation_id when the generation is not the
// dealer's), crm.KindConflict (duplicate) when the dealer already has the code.
func (s *Service) CreateConfiguration(ctx context.Context, c Configuration) (Configuration, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (Configuration, error) {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return Configuration{}, err
		}
		n, err := NewConfiguration(d, c, crm.Now(ctx))
		if err != nil {
			return Configuration{}, err
		}
		g, err := parent(ctx, "generation_id", st.Generations().Get, n.GenerationID)
		if err != nil {
			return Configuration{}, err
		}
		n.MakeID, n.ModelID = g.MakeID, g.ModelID
		return n, st.Configurations().Create(ctx, &n)
	})
}

// GetConfiguration returns the configuration; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetConfiguration(ctx context.Context, id crm.ID) (Configuration, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (Configuration, error) {
		return st.Configurations().Get(ctx, id)
	})
}

// UpdateConfiguration replaces the data of configuration id with card's (Configuration.Edit: the generation is
// kept, options keep their IDs by code), provided expectedVersion is the stored one (0: unconditional). A price
// change here never reaches a sold car: its card keeps the frozen copy it was sold with (VehicleBuild).
// crm.KindStaleVersion, crm.KindNotFound, crm.KindInvalid naming the bad fields, crm.KindConflict.
func (s *Service) UpdateConfiguration(ctx context.Context, id crm.ID, expectedVersion int64, card Configuration) (Configuration, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (Configuration, error) {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return Configuration{}, err
		}
		c, err := st.Configurations().Get(ctx, id)
		if err != nil {
			return Configuration{}, err
		}
		if err := crm.CheckVersion("catalog.Service.UpdateConfiguration", c.Version, expectedVersion); err != nil {
			return Configuration{}, err
		}
		if err := c.Edit(d, card); err != nil {
			return Configuration{}, err
		}
		return c, st.Configurations().Update(ctx, &c)
	})
}

// ListConfigurations returns the configurations matching f ordered by code. Make and model names are resolved
// first (a name the dealer's directory lacks matches nothing).
func (s *Service) ListConfigurations(ctx context.Context, f ConfigurationFilter) ([]Configuration, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) ([]Configuration, error) {
		var makes, models []crm.ID // the makes and models the names name; nil: no name given
		if f.MakeName != "" {
			all, err := st.Makes().List(ctx)
			if err != nil {
				return nil, err
			}
			makes = []crm.ID{}
			for _, m := range all {
				if sameName(m.Name, f.MakeName) {
					makes = append(makes, m.ID)
				}
			}
		}
		if f.ModelName != "" {
			all, err := st.Models().List(ctx, f.MakeID)
			if err != nil {
				return nil, err
			}
			models = []crm.ID{}
			for _, m := range all {
				if sameName(m.Name, f.ModelName) && (makes == nil || slices.Contains(makes, m.MakeID)) {
					models = append(models, m.ID)
				}
			}
		}
		if makes != nil && len(makes) == 0 || models != nil && len(models) == 0 {
			return []Configuration{}, nil
		}
		var out []Configuration
		run := func(g ConfigurationFilter) error {
			list, err := st.Configurations().List(ctx, g)
			out = append(out, list...)
			return err
		}
		g := f
		g.MakeName, g.ModelName = "", ""
		if len(makes) == 1 && (g.MakeID == crm.ID{} || g.MakeID == makes[0]) {
			g.MakeID = makes[0]
		} else if len(makes) == 1 {
			return []Configuration{}, nil
		}
		if models == nil {
			return out, run(g)
		}
		for _, id := range models { // a model name is unique within its make: one model per make at most
			h := g
			if h.ModelID != (crm.ID{}) && h.ModelID != id {
				continue
			}
			h.ModelID = id
			if err := run(h); err != nil {
				return nil, err
			}
		}
		slices.SortFunc(out, func(a, b Configuration) int {
			if c := strings.Compare(a.Code, b.Code); c != 0 {
				return c
			}
			return bytes.Compare(a.ID[:], b.ID[:])
		})
		return out, nil
	})
}

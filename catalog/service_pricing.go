package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// PriceConfiguration prices configuration id as chosen in sel with the dealer's price rules, at the unit of
// work's time (Configuration.Quote). It returns crm.KindNotFound for a configuration that is not the dealer's, and
// a crm.KindInvalid error naming every wrong field (option_ids[i] — both options of a conflict —, exterior_color,
// interior_color, configuration_id when its price is not valid now). Nothing is saved.
func (s *Service) PriceConfiguration(ctx context.Context, id crm.ID, sel Selection) (Quote, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (Quote, error) {
		return quote(ctx, st, id, sel)
	})
}

// quote reads configuration id and the dealer's rules and prices sel.
func quote(ctx context.Context, st DirectoryStores, id crm.ID, sel Selection) (Quote, error) {
	c, err := st.Configurations().Get(ctx, id)
	if err != nil {
		return Quote{}, err
	}
	rules, err := st.PriceRules().List(ctx)
	if err != nil {
		return Quote{}, err
	}
	return c.Quote(sel, rules, crm.Now(ctx))
}

// CreatePriceRule validates r with NewPriceRule and saves it; crm.KindInvalid naming the bad fields.
func (s *Service) CreatePriceRule(ctx context.Context, r PriceRule) (PriceRule, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (PriceRule, error) {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return PriceRule{}, err
		}
		n, err := NewPriceRule(d, r, crm.Now(ctx))
		if err != nil {
			return PriceRule{}, err
		}
		return n, st.PriceRules().Create(ctx, &n)
	})
}

// GetPriceRule returns the rule; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetPriceRule(ctx context.Context, id crm.ID) (PriceRule, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) (PriceRule, error) { return st.PriceRules().Get(ctx, id) })
}

// UpdatePriceRule replaces rule id with card, provided expectedVersion is the stored one (0: unconditional).
// crm.KindStaleVersion, crm.KindNotFound, crm.KindInvalid naming the bad fields.
func (s *Service) UpdatePriceRule(ctx context.Context, id crm.ID, expectedVersion int64, card PriceRule) (PriceRule, error) {
	return update(ctx, s, func(ctx context.Context, st Stores) (PriceRule, error) {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return PriceRule{}, err
		}
		r, err := st.PriceRules().Get(ctx, id)
		if err != nil {
			return PriceRule{}, err
		}
		if err := crm.CheckVersion("catalog.Service.UpdatePriceRule", r.Version, expectedVersion); err != nil {
			return PriceRule{}, err
		}
		if err := r.Edit(d, card); err != nil {
			return PriceRule{}, err
		}
		return r, st.PriceRules().Update(ctx, &r)
	})
}

// ListPriceRules returns the dealer's price rules in the order quotes apply them (by name).
func (s *Service) ListPriceRules(ctx context.Context) ([]PriceRule, error) {
	return view(ctx, s, func(ctx context.Context, st Stores) ([]PriceRule, error) { return st.PriceRules().List(ctx) })
}

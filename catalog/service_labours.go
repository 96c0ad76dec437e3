package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// CreateLabour validates the labour operation with NewLabour and saves it. It returns the saved
// labour operation (Version 1); crm.KindInvalid naming the bad fields, crm.KindConflict when the dealer already has the
// code, crm.KindNotFound when the context's dealer does not exist.
func (s *Service) CreateLabour(ctx context.Context, item Labour) (Labour, error) {
	var out Labour
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		n, err := NewLabour(d, item, crm.Now(ctx))
		if err != nil {
			return err
		}
		if err := st.Labours().Create(ctx, &n); err != nil {
			return err
		}
		out = n
		return nil
	})
	return out, err
}

// GetLabour returns the labour operation; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetLabour(ctx context.Context, id crm.ID) (Labour, error) {
	var out Labour
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Labours().Get(ctx, id)
		return err
	})
	return out, err
}

// UpdateLabour replaces the code, name, labour hours and price of labour operation id with card's (card's ID and
// Version are ignored), provided expectedVersion is the stored version (0: unconditional). It returns the saved
// labour operation; crm.KindStaleVersion, crm.KindNotFound, crm.KindInvalid naming the bad fields,
// crm.KindConflict on a code the dealer already has.
func (s *Service) UpdateLabour(ctx context.Context, id crm.ID, expectedVersion int64, card Labour) (Labour, error) {
	var out Labour
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		item, err := st.Labours().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("catalog.Service.UpdateLabour", item.Version, expectedVersion); err != nil {
			return err
		}
		if err := item.Edit(d, card); err != nil {
			return err
		}
		if err := st.Labours().Update(ctx, &item); err != nil {
			return err
		}
		out = item
		return nil
	})
	return out, err
}

// ListLabours returns every labour operation of the dealer ordered by code.
func (s *Service) ListLabours(ctx context.Context) ([]Labour, error) {
	var out []Labour
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Labours().List(ctx)
		return err
	})
	return out, err
}

package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// CreateService validates the service (labour operation) with NewServiceItem and saves it. It returns the saved
// service (Version 1); crm.KindInvalid naming the bad fields, crm.KindConflict when the dealer already has the
// code, crm.KindNotFound when the context's dealer does not exist.
func (s *Service) CreateService(ctx context.Context, item ServiceItem) (ServiceItem, error) {
	var out ServiceItem
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		n, err := NewServiceItem(d, item, s.clock.Now())
		if err != nil {
			return err
		}
		if err := st.Services().Create(ctx, &n); err != nil {
			return err
		}
		out = n
		return nil
	})
	return out, err
}

// GetService returns the service; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetService(ctx context.Context, id crm.ID) (ServiceItem, error) {
	var out ServiceItem
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Services().Get(ctx, id)
		return err
	})
	return out, err
}

// UpdateService replaces the code, name, labour hours and price of service card.ID with card's, provided
// card.Version is the stored version. It returns the saved service; crm.KindStaleVersion, crm.KindNotFound,
// crm.KindInvalid naming the bad fields, crm.KindConflict on a code the dealer already has.
func (s *Service) UpdateService(ctx context.Context, card ServiceItem) (ServiceItem, error) {
	var out ServiceItem
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		item, err := st.Services().Get(ctx, card.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("catalog.Service.UpdateService", item.Version, card.Version); err != nil {
			return err
		}
		if err := item.Edit(d, card, s.clock.Now()); err != nil {
			return err
		}
		if err := st.Services().Update(ctx, &item); err != nil {
			return err
		}
		out = item
		return nil
	})
	return out, err
}

// ListServices returns every service of the dealer ordered by code.
func (s *Service) ListServices(ctx context.Context) ([]ServiceItem, error) {
	var out []ServiceItem
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Services().List(ctx)
		return err
	})
	return out, err
}

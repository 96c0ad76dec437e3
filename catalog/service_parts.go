package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// CreatePart validates the part with NewPart and saves it. It returns the saved part (Version 1); crm.KindInvalid
// naming the bad fields, crm.KindConflict when the dealer already has the number, crm.KindNotFound when the
// context's dealer does not exist.
func (s *Service) CreatePart(ctx context.Context, p Part) (Part, error) {
	var out Part
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		np, err := NewPart(d, p, crm.Now(ctx))
		if err != nil {
			return err
		}
		if err := st.Parts().Create(ctx, &np); err != nil {
			return err
		}
		out = np
		return nil
	})
	return out, err
}

// GetPart returns the part; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetPart(ctx context.Context, id crm.ID) (Part, error) {
	var out Part
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Parts().Get(ctx, id)
		return err
	})
	return out, err
}

// UpdatePart replaces the number, name, compatible models and price of part id with card's (Part.Edit; the
// quantity changes only through AdjustPartStock; card's ID and Version are ignored), provided expectedVersion is
// the stored version (0: unconditional). It returns the saved part; crm.KindStaleVersion, crm.KindNotFound,
// crm.KindInvalid naming the bad fields, crm.KindConflict on a number the dealer already has.
func (s *Service) UpdatePart(ctx context.Context, id crm.ID, expectedVersion int64, card Part) (Part, error) {
	var out Part
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		p, err := st.Parts().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("catalog.Service.UpdatePart", p.Version, expectedVersion); err != nil {
			return err
		}
		if err := p.Edit(d, card); err != nil {
			return err
		}
		if err := st.Parts().Update(ctx, &p); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// AdjustPartStock changes the quantity of the part read at expectedVersion by delta (negative when parts leave)
// under the row's lock. With expectedVersion 0 concurrent adjustments add up; with a version, of several
// adjustments made against it exactly one succeeds. It returns the saved part; crm.KindStaleVersion,
// ErrInsufficientStock (a conflict) when the quantity would go below zero, crm.KindInvalid when it would
// overflow, crm.KindNotFound.
func (s *Service) AdjustPartStock(ctx context.Context, id crm.ID, expectedVersion int64, delta int) (Part, error) {
	var out Part
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		p, err := st.Parts().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("catalog.Service.AdjustPartStock", p.Version, expectedVersion); err != nil {
			return err
		}
		if err := p.AdjustStock(delta); err != nil {
			return err
		}
		if err := st.Parts().Update(ctx, &p); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// SearchParts returns one page of the dealer's parts matching q, ordered by number, and the next page's cursor;
// crm.KindInvalid for a bad cursor.
func (s *Service) SearchParts(ctx context.Context, q PartQuery) (PartPage, error) {
	if _, _, err := q.Prepare(); err != nil {
		return PartPage{}, err
	}
	var out PartPage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Parts().Search(ctx, q)
		return err
	})
	return out, err
}

package leads

import (
	"context"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// ListNeedTypes returns the dealer's need-type directory (deactivated entries included, see NeedType.Active),
// ordered by Order then code. It only reads: the directory is seeded when the dealer is added.
func (s *Service) ListNeedTypes(ctx context.Context) ([]NeedType, error) {
	var out []NeedType
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.NeedTypes().List(ctx)
		return err
	})
	return out, wrap("leads.Service.ListNeedTypes", err)
}

// CreateNeedType adds an active need type to the dealer's directory. Invalid naming code or name; KindConflict
// when the dealer already has the code.
func (s *Service) CreateNeedType(ctx context.Context, n NeedType) (NeedType, error) {
	const op = "leads.Service.CreateNeedType"
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return NeedType{}, err
	}
	var out NeedType
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		nt, err := NewNeedType(dealer, n, crm.Now(ctx))
		if err != nil {
			return err
		}
		if err := st.NeedTypes().Create(ctx, &nt); err != nil {
			return err
		}
		out = nt
		return nil
	})
	return out, wrap(op, err)
}

// UpdateNeedType renames, reorders, deactivates or reactivates the need type with code. version as in
// UpdateLead; KindNotFound for an unknown code.
func (s *Service) UpdateNeedType(ctx context.Context, code string, version int64, c NeedTypeChange) (NeedType, error) {
	const op = "leads.Service.UpdateNeedType"
	var out NeedType
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		n, err := st.NeedTypes().GetByCode(ctx, code)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, n.Version, version); err != nil {
			return err
		}
		if err := n.Apply(c, crm.Now(ctx)); err != nil {
			return err
		}
		if err := st.NeedTypes().Update(ctx, &n); err != nil {
			return err
		}
		out = n
		return nil
	})
	return out, wrap(op, err)
}

// ListLeadStages returns the dealer's lead-stage directory in order. It only reads: the directory is seeded
// when the dealer is added.
func (s *Service) ListLeadStages(ctx context.Context) ([]LeadStage, error) {
	var out []LeadStage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.LeadStages().List(ctx)
		return err
	})
	return out, wrap("leads.Service.ListLeadStages", err)
}

// RenameLeadStage gives the stage with code the dealer's own name (codes, order and rules stay fixed). version as
// in UpdateLead; KindNotFound for an unknown code, Invalid for a blank name.
func (s *Service) RenameLeadStage(ctx context.Context, code string, version int64, name string) (LeadStage, error) {
	const op = "leads.Service.RenameLeadStage"
	name = strings.TrimSpace(name)
	if name == "" {
		return LeadStage{}, crm.Invalid(op, crm.FieldError{Field: "name", Message: "is required"})
	}
	var out LeadStage
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		ls, err := st.LeadStages().GetByCode(ctx, code)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, ls.Version, version); err != nil {
			return err
		}
		ls.Name = name
		if err := st.LeadStages().Update(ctx, &ls); err != nil {
			return err
		}
		out = ls
		return nil
	})
	return out, wrap(op, err)
}

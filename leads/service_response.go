package leads

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// TopicResponseOverdue is the outbox topic of the notice telling a lead's owner and the dealer's managers that a
// new lead has not been contacted within the response target.
const TopicResponseOverdue = "lead.response_overdue"

// ResponsePolicyIn returns the context's dealer's response policy inside a unit of work: the stored one, or
// DefaultResponsePolicy when the dealer has none.
func ResponsePolicyIn(ctx context.Context, st ResponsePolicyStore) (ResponsePolicy, error) {
	p, err := st.Get(ctx)
	if errors.Is(err, crm.ErrNotFound) {
		return DefaultResponsePolicy(), nil
	}
	return p, err
}

// setResponseDue stamps a new lead with the instant its first contact is due under the dealer's policy.
func setResponseDue(ctx context.Context, st Stores, l *Lead) error {
	p, err := ResponsePolicyIn(ctx, st.ResponsePolicies())
	if err != nil {
		return err
	}
	l.ResponseDueAt = p.DueAt(l.CreatedAt)
	return nil
}

// GetResponsePolicy returns the dealer's response policy (the default, at version 0, when none is stored).
func (s *Service) GetResponsePolicy(ctx context.Context) (ResponsePolicy, error) {
	var out ResponsePolicy
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = ResponsePolicyIn(ctx, st.ResponsePolicies())
		return err
	})
	return out, wrap("leads.Service.GetResponsePolicy", err)
}

// SetResponsePolicy replaces the dealer's response policy read at expectedVersion (0: unconditional) with in. It
// applies to leads created from now on (a lead keeps the due time it was given). crm.KindInvalid naming every wrong
// field (ResponsePolicy.Validate), crm.KindStaleVersion.
func (s *Service) SetResponsePolicy(ctx context.Context, expectedVersion int64, in ResponsePolicy) (ResponsePolicy, error) {
	const op = "leads.Service.SetResponsePolicy"
	if err := in.Validate(); err != nil {
		return ResponsePolicy{}, wrap(op, err)
	}
	var out ResponsePolicy
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		cur, err := ResponsePolicyIn(ctx, st.ResponsePolicies())
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, cur.Version, expectedVersion); err != nil {
			return err
		}
		in.Meta = cur.Meta
		if err := st.ResponsePolicies().Save(ctx, &in); err != nil {
			return err
		}
		out = in
		return nil
	})
	return out, wrap(op, err)
}

// ListOverdueResponses returns one page (limit, crm.PageLimit) of the dealer's open leads still uncontacted after
// their response due time, the longest overdue first, and the cursor of the next page (cursor: the previous
// page's). crm.KindInvalid naming "cursor" for a cursor this list did not make.
func (s *Service) ListOverdueResponses(ctx context.Context, cursor string, limit int) (LeadPage, error) {
	var out LeadPage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Leads().ListOverdueResponse(ctx, OverdueQuery{Now: crm.Now(ctx), Cursor: cursor, Limit: crm.PageLimit(limit)})
		return err
	})
	return out, wrap("leads.Service.ListOverdueResponses", err)
}

// SweepOverdueResponses tells, through the outbox, the owner of every lead that breached its response target and
// the owner's manager (crm.User.ManagerID; the dealer's admins when the owner has none), once per lead: the lead records when it was told
// (ResponseBreachNotifiedAt) in the unit of work that queues the notices, and each lead is read locked and checked
// again there, so sweeps running at once (in several processes) queue each lead's notices exactly once. A user
// without an e-mail is not written to. It returns how many leads it told about, at most crm.MaxPageLimit per call.
func (s *Service) SweepOverdueResponses(ctx context.Context) (int, error) {
	n := 0
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		n = 0
		now := crm.Now(ctx)
		page, err := st.Leads().ListOverdueResponse(ctx, OverdueQuery{Now: now, Unnotified: true, Limit: crm.MaxPageLimit})
		if err != nil || len(page.Items) == 0 {
			return err
		}
		due := page.Items
		users, err := st.Users().List(ctx)
		if err != nil {
			return err
		}
		for _, d := range due {
			l, err := st.Leads().Get(ctx, d.ID) // locked: a concurrent sweep waits here, then sees it told
			if err != nil {
				return err
			}
			if !l.ResponseOverdue(now) || !l.ResponseBreachNotifiedAt.IsZero() {
				continue
			}
			l.ResponseBreachNotifiedAt = now
			if err := st.Leads().Update(ctx, &l); err != nil {
				return err
			}
			for _, u := range breachRecipients(users, l.OwnerID) {
				m := overdueNotice(l, u, now)
				if err := st.Outbox().Enqueue(ctx, &m); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	return n, wrap("leads.Service.SweepOverdueResponses", err)
}

// breachRecipients are who is told of a lead of owner breaching its target: the owner, and the owner's manager
// (crm.User.ManagerID) — or, when the owner has none (or it has no e-mail), or the lead no owner, the dealer's
// admins. Only users with an e-mail, each once, the owner first.
func breachRecipients(users []crm.User, owner crm.ID) []crm.User {
	byID := map[crm.ID]crm.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	var out []crm.User
	seen := map[crm.ID]bool{}
	add := func(u crm.User) {
		if u.Email != "" && !seen[u.ID] {
			seen[u.ID] = true
			out = append(out, u)
		}
	}
	o, hasOwner := byID[owner]
	if hasOwner {
		add(o)
	}
	if m, ok := byID[o.ManagerID]; hasOwner && ok && o.ManagerID != (crm.ID{}) && m.Email != "" {
		add(m)
		return out
	}
	for _, u := range users {
		if u.Role == crm.RoleAdmin {
			add(u)
		}
	}
	return out
}

// overdueNotice tells user u that lead l is past its response due time.
func overdueNotice(l Lead, u crm.User, now time.Time) crm.Message {
	name := l.Contact.FullName()
	late := now.Sub(l.ResponseDueAt).Truncate(time.Minute)
	role := "manager"
	if u.ID == l.OwnerID {
		role = "owner"
	}
	return crm.Message{DealerID: l.DealerID, Topic: TopicResponseOverdue, Recipient: u.Email,
		Subject: fmt.Sprintf("Лид без ответа: %s / Lead not contacted: %s", name, name),
		Body: fmt.Sprintf("Лид %s (%s) не получил ответа в срок: срок истёк в %s UTC.\nLead %s (%s) was due for first contact at %s UTC (%s ago).\n",
			name, l.ID, l.ResponseDueAt.Format("02.01.2006 15:04"), name, l.ID, l.ResponseDueAt.Format(time.RFC3339), late),
		Data:      map[string]string{"lead_id": l.ID.String(), "user_id": u.ID.String(), "role": role, "due_at": l.ResponseDueAt.Format(time.RFC3339)},
		CreatedAt: now}
}

package stack

import (
	"context"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/playbooks"
	"github.com/dealercrm/dealercrm/sales"
)

// DirectoryStores is what adding a dealer writes in one unit of work: the dealer and its directories (need types
// and lead stages, sales stages) and the playbooks of those stages. Every adapter's transaction has these stores.
type DirectoryStores interface {
	leads.DirectoryStores
	sales.StageSeedStores
	playbooks.Stores
}

// AddDealer validates d (crm.NewDealer) and saves it with its directories in one unit of work: the default need
// types and lead stages (leads.SeedDirectories), sales stages (sales.SeedStages) and the default stage playbooks
// (playbooks.Seed). The dealer is usable at once;
// nothing seeds later or lazily. It returns the saved dealer; crm.KindInvalid naming the bad fields.
func (s *Stack) AddDealer(ctx context.Context, d crm.Dealer) (crm.Dealer, error) {
	var nd crm.Dealer
	err := s.directories.Update(ctx, func(ctx context.Context, st DirectoryStores) (err error) {
		if nd, err = crm.NewDealer(d, crm.Now(ctx)); err != nil {
			return err
		}
		if err := st.Dealers().Create(ctx, &nd); err != nil {
			return err
		}
		return seedDirectories(crm.WithDealer(ctx, nd.ID), st)
	})
	if err != nil {
		return crm.Dealer{}, fmt.Errorf("stack.AddDealer: %w", err)
	}
	return nd, nil
}

// SeedDirectories gives the context's dealer, in one unit of work, the default need types, lead stages, sales
// stages and stage playbooks it lacks. It is idempotent. AddDealer already does this for a new dealer; the PostgreSQL adapter's
// Migrate does it for stored dealers without directories.
func (s *Stack) SeedDirectories(ctx context.Context) error {
	err := s.directories.Update(ctx, func(ctx context.Context, st DirectoryStores) error { return seedDirectories(ctx, st) })
	if err != nil {
		return fmt.Errorf("stack.SeedDirectories: %w", err)
	}
	return nil
}

func seedDirectories(ctx context.Context, st DirectoryStores) error {
	if err := leads.SeedDirectories(ctx, st); err != nil {
		return err
	}
	if _, err := sales.SeedStages(ctx, st); err != nil {
		return err
	}
	_, err := playbooks.Seed(ctx, st)
	return err
}

// Dealers returns every dealer, ordered by name.
func (s *Stack) Dealers(ctx context.Context) ([]crm.Dealer, error) {
	var out []crm.Dealer
	err := s.Kernel.View(ctx, func(ctx context.Context, st crm.Stores) (err error) {
		out, err = st.Dealers().List(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("stack.Dealers: %w", err)
	}
	return out, nil
}

// AddUser validates u (crm.NewUser) and saves it as a user of the context's dealer.
func (s *Stack) AddUser(ctx context.Context, u crm.User) (crm.User, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.User{}, fmt.Errorf("stack.AddUser: %w", err)
	}
	nu, err := crm.NewUser(dealer, u, s.Clock.Now())
	if err != nil {
		return crm.User{}, fmt.Errorf("stack.AddUser: %w", err)
	}
	err = s.Kernel.Update(ctx, func(ctx context.Context, st crm.Stores) error {
		return st.Users().Create(ctx, &nu)
	})
	if err != nil {
		return crm.User{}, fmt.Errorf("stack.AddUser: %w", err)
	}
	return nu, nil
}

// Users returns the users of the context's dealer, ordered by name.
func (s *Stack) Users(ctx context.Context) ([]crm.User, error) {
	var out []crm.User
	err := s.Kernel.View(ctx, func(ctx context.Context, st crm.Stores) (err error) {
		out, err = st.Users().List(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("stack.Users: %w", err)
	}
	return out, nil
}

// IssueAPIKey makes a fresh API key for user (crm.NewAPIKey), stores its hash and returns the token, which is
// shown once and never stored.
func (s *Stack) IssueAPIKey(ctx context.Context, user crm.User, name string) (string, error) {
	key, token, err := crm.NewAPIKey(user, name, s.Clock.Now())
	if err != nil {
		return "", fmt.Errorf("stack.IssueAPIKey: %w", err)
	}
	err = s.Kernel.Update(crm.WithDealer(ctx, user.DealerID), func(ctx context.Context, st crm.Stores) error {
		return st.APIKeys().Create(ctx, &key)
	})
	if err != nil {
		return "", fmt.Errorf("stack.IssueAPIKey: %w", err)
	}
	return token, nil
}

// ExpireAll ends the run-out vehicle holds of every dealer (catalog.Service.ExpireReservations) and returns how
// many vehicles changed; it goes on past a dealer's failure and returns the first error.
func (s *Stack) ExpireAll(ctx context.Context) (int, error) {
	return s.eachDealer(ctx, "stack.ExpireAll", s.Catalog.ExpireReservations)
}

// SweepResponsesAll tells, for every dealer, the owners and managers of the leads that breached the dealer's
// response target, once per lead (leads.Service.SweepOverdueResponses), and returns how many leads it told about.
// Run calls it every DefaultSweepInterval; concurrent calls (several processes) tell each lead once.
func (s *Stack) SweepResponsesAll(ctx context.Context) (int, error) {
	return s.eachDealer(ctx, "stack.SweepResponsesAll", s.Leads.SweepOverdueResponses)
}

// eachDealer runs fn for every dealer in turn, adding up its counts and going on past a dealer whose run fails (the
// first such error is returned).
func (s *Stack) eachDealer(ctx context.Context, op string, fn func(context.Context) (int, error)) (int, error) {
	dealers, err := s.Dealers(ctx)
	if err != nil {
		return 0, err
	}
	changed := 0
	var first error
	for _, d := range dealers {
		n, err := fn(crm.WithDealer(ctx, d.ID))
		changed += n
		if err != nil && first == nil {
			first = fmt.Errorf("%s: dealer %s: %w", op, d.ID, err)
		}
	}
	return changed, first
}

// RemindAll queues, for every dealer, the reminders of booked test drives and service appointments that have come
// within the dealer's reminder lead time (notify.Service.QueueReminders: at most one per booking and start). It
// returns how many it queued and the first error met; a dealer's failure does not stop the others.
func (s *Stack) RemindAll(ctx context.Context) (int, error) {
	return s.eachDealer(ctx, "stack.RemindAll", s.Notify.QueueReminders)
}

// CampaignsAll runs, for every dealer, the campaigns whose scheduled time has come and that have not run
// (notify.Service.RunDueCampaigns). It returns how many messages it queued and the first error met.
func (s *Stack) CampaignsAll(ctx context.Context) (int, error) {
	return s.eachDealer(ctx, "stack.CampaignsAll", s.Notify.RunDueCampaigns)
}

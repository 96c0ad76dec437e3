package stack

import (
	"context"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// AddDealer validates d (crm.NewDealer), saves it and seeds its directories: the need types and lead stages
// (leads) and the sales stages (sales). It returns the saved dealer; crm.KindInvalid naming the bad fields.
func (s *Stack) AddDealer(ctx context.Context, d crm.Dealer) (crm.Dealer, error) {
	nd, err := crm.NewDealer(d, s.Clock.Now())
	if err != nil {
		return crm.Dealer{}, fmt.Errorf("stack.AddDealer: %w", err)
	}
	err = s.Kernel.Update(ctx, func(ctx context.Context, st crm.Stores) error {
		return st.Dealers().Create(ctx, &nd)
	})
	if err != nil {
		return crm.Dealer{}, fmt.Errorf("stack.AddDealer: %w", err)
	}
	if err := s.SeedDirectories(crm.WithDealer(ctx, nd.ID)); err != nil {
		return crm.Dealer{}, err
	}
	return nd, nil
}

// SeedDirectories gives the context's dealer the default need types, lead stages and sales stages it lacks. It is
// idempotent.
func (s *Stack) SeedDirectories(ctx context.Context) error {
	if err := s.Leads.SeedDirectories(ctx); err != nil {
		return fmt.Errorf("stack.SeedDirectories: %w", err)
	}
	if _, err := s.Sales.SeedStages(ctx); err != nil {
		return fmt.Errorf("stack.SeedDirectories: %w", err)
	}
	return nil
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

// RelayAll runs the outbox relay once for every dealer (the relay works within one dealer's scope) and returns
// how many messages were sent. It goes on past a dealer whose run fails and returns the first error.
func (s *Stack) RelayAll(ctx context.Context) (int, error) {
	dealers, err := s.Dealers(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	var first error
	for _, d := range dealers {
		n, err := s.Relay.RunOnce(crm.WithDealer(ctx, d.ID))
		sent += n
		if err != nil && first == nil {
			first = fmt.Errorf("stack.RelayAll: dealer %s: %w", d.ID, err)
		}
	}
	return sent, first
}

// ExpireAll ends the run-out vehicle holds of every dealer (catalog.Service.ExpireReservations) and returns how
// many vehicles changed; it goes on past a dealer's failure and returns the first error.
func (s *Stack) ExpireAll(ctx context.Context) (int, error) {
	dealers, err := s.Dealers(ctx)
	if err != nil {
		return 0, err
	}
	changed := 0
	var first error
	for _, d := range dealers {
		n, err := s.Catalog.ExpireReservations(crm.WithDealer(ctx, d.ID))
		changed += n
		if err != nil && first == nil {
			first = fmt.Errorf("stack.ExpireAll: dealer %s: %w", d.ID, err)
		}
	}
	return changed, first
}

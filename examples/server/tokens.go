package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/examples/internal/demo"
)

// issueTokens seeds the demo data when asked and the storage has no dealer yet, creates the -bootstrap-admin
// dealer and admin when asked, and prints a fresh token for each demo user and for the bootstrap admin.
func issueTokens(ctx context.Context, cfg config, st *stack.Stack, stdout io.Writer, logger *slog.Logger) error {
	if cfg.demo {
		members, err := demoMembers(ctx, st, cfg.seed, logger)
		if err != nil {
			return err
		}
		for _, m := range members {
			token, err := st.IssueAPIKey(ctx, m.User, "demo")
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "demo token: dealer=%s role=%s token=%s\n", m.Dealer.Name, m.User.Role, token)
		}
	}
	if cfg.bootstrapAdmin != "" {
		m, err := bootstrapAdmin(ctx, st, cfg.bootstrapAdmin)
		if err != nil {
			return err
		}
		token, err := st.IssueAPIKey(ctx, m.User, "bootstrap")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "bootstrap token: dealer=%s role=%s token=%s\n", m.Dealer.Name, m.User.Role, token)
	}
	if !cfg.demo && cfg.bootstrapAdmin == "" {
		logger.Warn("started without demo data: no token was issued; restart with -bootstrap-admin 'Dealer name' to create a dealer and an admin token")
	}
	return nil
}

// demoMembers returns the demo users, seeding the demo data first when the storage has no dealer at all (so a
// restart on the same database does not duplicate it).
func demoMembers(ctx context.Context, st *stack.Stack, seed uint64, logger *slog.Logger) ([]demo.Member, error) {
	members, err := demo.Members(ctx, st)
	if err != nil || len(members) > 0 {
		if len(members) > 0 {
			logger.Info("demo data already present; issuing fresh tokens")
		}
		return members, err
	}
	dealers, err := st.Dealers(ctx)
	if err != nil {
		return nil, err
	}
	if len(dealers) > 0 {
		logger.Warn("the storage has dealers but no demo data; not seeding it", "dealers", len(dealers))
		return nil, nil
	}
	data, err := demo.Seed(ctx, st, seed)
	if err != nil {
		return nil, err
	}
	logger.Info("demo data seeded", "dealers", len(data.Dealers), "seed", seed)
	return data.Members(), nil
}

// bootstrapAdmin finds or creates the dealer called name and an admin user of it.
func bootstrapAdmin(ctx context.Context, st *stack.Stack, name string) (demo.Member, error) {
	dealers, err := st.Dealers(ctx)
	if err != nil {
		return demo.Member{}, err
	}
	var d crm.Dealer
	for _, x := range dealers {
		if x.Name == name {
			d = x
			break
		}
	}
	if d.ID == (crm.ID{}) {
		if d, err = st.AddDealer(ctx, crm.Dealer{Name: name, LegalName: "ООО «" + name + "»"}); err != nil {
			return demo.Member{}, err
		}
	}
	dctx := crm.WithDealer(ctx, d.ID)
	users, err := st.Users(dctx)
	if err != nil {
		return demo.Member{}, err
	}
	for _, u := range users {
		if u.Role == crm.RoleAdmin {
			return demo.Member{Dealer: d, User: u}, nil
		}
	}
	u, err := st.AddUser(dctx, crm.User{Name: "Администратор", Role: crm.RoleAdmin})
	return demo.Member{Dealer: d, User: u}, err
}

package demo

import (
	"context"
	"slices"

	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
)

// Member is a user together with their dealer.
type Member struct {
	Dealer crm.Dealer
	User   crm.User
}

// Members finds the demo dealers already in st (by name) and returns their users, dealer by dealer in demo order,
// users in role order (admin, sales manager, service advisor, read-only). It is empty when st holds no demo data.
func Members(ctx context.Context, st *stack.Stack) ([]Member, error) {
	dealers, err := st.Dealers(ctx)
	if err != nil {
		return nil, err
	}
	var out []Member
	for _, name := range DealerNames() {
		for _, d := range dealers {
			if d.Name != name {
				continue
			}
			users, err := st.Users(crm.WithDealer(ctx, d.ID))
			if err != nil {
				return nil, err
			}
			slices.SortStableFunc(users, func(a, b crm.User) int { return roleRank(a.Role) - roleRank(b.Role) })
			for _, u := range users {
				out = append(out, Member{Dealer: d, User: u})
			}
		}
	}
	return out, nil
}

func roleRank(r crm.Role) int {
	if i := slices.Index(Roles, r); i >= 0 {
		return i
	}
	return len(Roles)
}

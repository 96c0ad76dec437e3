package crm

import "context"

type dealerKey struct{}

// WithDealer returns a context scoped to dealer: every store reads and writes only that dealer's records.
func WithDealer(ctx context.Context, dealer ID) context.Context {
	return context.WithValue(ctx, dealerKey{}, dealer)
}

// DealerFrom returns the dealer a context is scoped to. It returns a Forbidden error when the context carries no
// dealer, so that an unscoped call can never read or write across dealers.
func DealerFrom(ctx context.Context) (ID, error) {
	d, ok := ctx.Value(dealerKey{}).(ID)
	if !ok || d == (ID{}) {
		return ID{}, Forbidden("crm.DealerFrom", "no dealer in context")
	}
	return d, nil
}

type actorKey struct{}

// WithActor returns a context that names the user on whose behalf work is done (recorded in histories).
func WithActor(ctx context.Context, user ID) context.Context {
	return context.WithValue(ctx, actorKey{}, user)
}

// ActorFrom returns the user a context names, or the zero ID when none.
func ActorFrom(ctx context.Context) ID {
	u, _ := ctx.Value(actorKey{}).(ID)
	return u
}

package crm

import "context"

// scope is whom work is done for: the dealer every store is scoped to and the user named as actor. A context keeps
// both in one value (scopeCtx), so that scoping a request costs one allocation and each lookup walks the context
// chain once.
type scope struct {
	dealer, actor ID
}

type scopeKey struct{}

// scopeCtx is a context carrying a scope. Its Value answers scopeKey with a pointer into itself (no allocation
// per lookup) and asks its parent for every other key, as a context.WithValue node does.
type scopeCtx struct {
	context.Context
	s scope
}

func (c *scopeCtx) Value(key any) any {
	if _, ok := key.(scopeKey); ok {
		return &c.s
	}
	return c.Context.Value(key)
}

func scopeOf(ctx context.Context) scope {
	if s, ok := ctx.Value(scopeKey{}).(*scope); ok {
		return *s
	}
	return scope{}
}

// WithDealer returns a context scoped to dealer: every store reads and writes only that dealer's records. The
// actor ctx names, if any, is kept.
func WithDealer(ctx context.Context, dealer ID) context.Context {
	return &scopeCtx{Context: ctx, s: scope{dealer: dealer, actor: scopeOf(ctx).actor}}
}

// WithActor returns a context that names the user on whose behalf work is done (recorded in histories). The
// dealer ctx is scoped to, if any, is kept.
func WithActor(ctx context.Context, user ID) context.Context {
	return &scopeCtx{Context: ctx, s: scope{dealer: scopeOf(ctx).dealer, actor: user}}
}

// WithScope returns a context scoped to dealer and naming user as actor: WithActor(WithDealer(ctx, dealer), user)
// in one step (one allocation instead of two), as the HTTP layer scopes each authenticated request.
func WithScope(ctx context.Context, dealer, user ID) context.Context {
	return &scopeCtx{Context: ctx, s: scope{dealer: dealer, actor: user}}
}

// DealerFrom returns the dealer a context is scoped to. It returns a Forbidden error when the context carries no
// dealer, so that an unscoped call can never read or write across dealers.
func DealerFrom(ctx context.Context) (ID, error) {
	d := scopeOf(ctx).dealer
	if d == (ID{}) {
		return ID{}, Forbidden("crm.DealerFrom", "no dealer in context")
	}
	return d, nil
}

// ActorFrom returns the user a context names, or the zero ID when none.
func ActorFrom(ctx context.Context) ID {
	return scopeOf(ctx).actor
}

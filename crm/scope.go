package crm

import "context"

// Scope is whom work is done for: the dealer every store is scoped to and the user named as actor. A context
// carries it as the value of ScopeKey, a *Scope: WithScope, WithDealer and WithActor make such a context with one
// node for both, so that each lookup walks the context chain once. A context type of another package may carry a
// scope itself by answering ScopeKey{} with a *Scope (the HTTP layer's per-request context does, so that scoping
// an authenticated request adds no node); the Scope must not change once the context has been handed on.
type Scope struct {
	Dealer, Actor ID
}

// ScopeKey is the context key whose value is a *Scope (see Scope). The value is read-only: it may point into the
// context itself (the HTTP layer's request state, which its request log line also reads), so code that receives it
// copies it and never writes through it; to scope work differently, derive a context with WithScope.
type ScopeKey struct{}

// scopeCtx is a context carrying a scope. Its Value answers ScopeKey with a pointer into itself (no allocation
// per lookup) and asks its parent for every other key, as a context.WithValue node does.
type scopeCtx struct {
	context.Context
	s Scope
}

func (c *scopeCtx) Value(key any) any {
	if _, ok := key.(ScopeKey); ok {
		return &c.s
	}
	return c.Context.Value(key)
}

// scopeOf returns the scope ctx carries (the zero Scope when none).
func scopeOf(ctx context.Context) Scope {
	if s, ok := ctx.Value(ScopeKey{}).(*Scope); ok && s != nil {
		return *s
	}
	return Scope{}
}

// WithDealer returns a context scoped to dealer: every store reads and writes only that dealer's records. The
// actor ctx names, if any, is kept.
func WithDealer(ctx context.Context, dealer ID) context.Context {
	return &scopeCtx{Context: ctx, s: Scope{Dealer: dealer, Actor: scopeOf(ctx).Actor}}
}

// WithActor returns a context that names the user on whose behalf work is done (recorded in histories). The
// dealer ctx is scoped to, if any, is kept.
func WithActor(ctx context.Context, user ID) context.Context {
	return &scopeCtx{Context: ctx, s: Scope{Dealer: scopeOf(ctx).Dealer, Actor: user}}
}

// WithScope returns a context scoped to dealer and naming user as actor: WithActor(WithDealer(ctx, dealer), user)
// in one step (one allocation instead of two).
func WithScope(ctx context.Context, dealer, user ID) context.Context {
	return &scopeCtx{Context: ctx, s: Scope{Dealer: dealer, Actor: user}}
}

// DealerFrom returns the dealer a context is scoped to. It returns a Forbidden error when the context carries no
// dealer, so that an unscoped call can never read or write across dealers.
func DealerFrom(ctx context.Context) (ID, error) {
	d := scopeOf(ctx).Dealer
	if d == (ID{}) {
		return ID{}, Forbidden("crm.DealerFrom", "no dealer in context")
	}
	return d, nil
}

// ActorFrom returns the user a context names, or the zero ID when none.
func ActorFrom(ctx context.Context) ID {
	return scopeOf(ctx).Actor
}

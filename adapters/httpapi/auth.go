package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Authenticator tells who presents a bearer token. It returns the user (with its dealer in Meta.DealerID and its
// Role), or an error of kind unauthenticated when the token is unknown or revoked; any other error is a fault
// (500).
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (crm.User, error)
}

// AuthenticatorFunc adapts a function to Authenticator.
type AuthenticatorFunc func(ctx context.Context, token string) (crm.User, error)

// Authenticate calls f.
func (f AuthenticatorFunc) Authenticate(ctx context.Context, token string) (crm.User, error) {
	return f(ctx, token)
}

// KeyAuthenticator authenticates API keys kept in the kernel's stores: the token's SHA-256 finds the key (in any
// dealer), the key must be neither revoked nor expired, the key names its user, and the user must belong to the
// key's dealer. It records the key's last use, at most once a minute per key (crm.APIKey.LastUsedAt is kept to the
// minute).
//
// Over a unit of work made by crm.NewUnit on an adapter that offers crm.APIKeyAuthenticator (both adapters do),
// a token costs one statement outside any transaction: the key and its user read, and the last use recorded when
// it is a minute old, together (on PostgreSQL one round trip). Over any other unit of work it reads in one unit
// and records the use in a second one, best effort.
type KeyAuthenticator struct {
	uow    crm.UnitOfWork[crm.Stores]
	direct crm.APIKeyAuthenticator // the adapter's one-statement authentication, or nil
	clock  crm.Clock
}

// lastUseResolution is how stale a key's last_used_at may get before a request writes it again.
const lastUseResolution = time.Minute

// NewKeyAuthenticator returns the default authenticator over the kernel's unit of work, on the system clock.
func NewKeyAuthenticator(uow crm.UnitOfWork[crm.Stores]) *KeyAuthenticator {
	a := &KeyAuthenticator{uow: uow, clock: crm.SystemClock{}}
	if t, ok := crm.TransactorOf(uow); ok {
		a.direct, _ = t.(crm.APIKeyAuthenticator)
	}
	return a
}

// WithClock returns a copy of a that tells expiry and last use by clock.
func (a *KeyAuthenticator) WithClock(clock crm.Clock) *KeyAuthenticator {
	return &KeyAuthenticator{uow: a.uow, direct: a.direct, clock: clock}
}

// Authenticate returns the user whose usable key has this token; KindUnauthenticated if there is none, the key
// is revoked or expired, or its user is gone.
func (a *KeyAuthenticator) Authenticate(ctx context.Context, token string) (crm.User, error) {
	u, _, err := a.AuthenticateKey(ctx, token)
	return u, err
}

// AuthenticateKey is Authenticate that also returns the key (for its expiry).
func (a *KeyAuthenticator) AuthenticateKey(ctx context.Context, token string) (crm.User, crm.APIKey, error) {
	const op = "httpapi.KeyAuthenticator"
	now := a.clock.Now()
	var user crm.User
	var key crm.APIKey
	var err error
	if a.direct != nil {
		used := crm.StorageTime(now)
		key, user, err = a.direct.AuthenticateAPIKey(ctx, crm.HashToken(token), used, used.Add(-lastUseResolution))
	} else {
		err = a.uow.View(ctx, func(ctx context.Context, s crm.Stores) (err error) {
			key, user, err = s.APIKeys().FindWithUser(ctx, crm.HashToken(token))
			return err
		})
	}
	if err == nil && !key.UsableAt(now) {
		err = crm.NotFound(op, "key revoked or expired")
	}
	switch {
	case err == nil:
	case crm.KindOf(err) == crm.KindNotFound:
		return crm.User{}, crm.APIKey{}, &crm.Error{Kind: crm.KindUnauthenticated, Op: op, Message: "unknown, revoked or expired token"}
	default:
		return crm.User{}, crm.APIKey{}, err
	}
	if a.direct == nil && (key.LastUsedAt == nil || now.Sub(*key.LastUsedAt) >= lastUseResolution) {
		// Best effort: a failed note of the last use must not refuse a valid key.
		used := crm.StorageTime(now)
		_ = a.uow.Update(crm.WithDealer(ctx, key.DealerID), func(ctx context.Context, s crm.Stores) error {
			return s.APIKeys().MarkUsed(ctx, key.ID, used)
		})
		key.LastUsedAt = &used
	}
	return user, key, nil
}

// keyAuthenticator is an Authenticator that also tells the key it found (KeyAuthenticator).
type keyAuthenticator interface {
	AuthenticateKey(ctx context.Context, token string) (crm.User, crm.APIKey, error)
}

// TokenForgetter is an Authenticator that remembers answers (CachingAuthenticator). When a key is revoked through
// the handler, the handler calls ForgetToken with the key's hash, so the key stops working at once in this
// process.
type TokenForgetter interface {
	ForgetToken(hash string)
}

// errUnauthenticated answers a request without a usable bearer token.
func errUnauthenticated(detail string) error {
	return &httpError{status: http.StatusUnauthorized, code: crm.CodeUnauthenticated, title: "Unauthenticated", detail: detail,
		header: http.Header{"Www-Authenticate": {`Bearer realm="dealercrm"`}}}
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// authenticate resolves the caller and returns a context scoped to the user's dealer, naming the user as actor:
// the request's own context, which answers for the scope from then on (requestInfo), when the handler made it,
// else a child of it (crm.WithScope).
func (h *Handler) authenticate(r *http.Request) (context.Context, crm.User, error) {
	token, ok := bearerToken(r)
	if !ok {
		return nil, crm.User{}, errUnauthenticated("send Authorization: Bearer <token>")
	}
	ctx := r.Context()
	user, err := h.auth.Authenticate(ctx, token)
	if err != nil {
		if crm.KindOf(err) == crm.KindUnauthenticated {
			return nil, crm.User{}, errUnauthenticated("unknown or revoked token")
		}
		return nil, crm.User{}, err
	}
	if user.DealerID == (crm.ID{}) || !user.Role.Valid() {
		return nil, crm.User{}, errUnauthenticated("the token's user has no dealer or role")
	}
	ri := requestInfoFrom(ctx)
	if ri == nil {
		return crm.WithScope(ctx, user.DealerID, user.ID), user, nil
	}
	ri.user, ri.scope, ri.authed = user, crm.Scope{Dealer: user.DealerID, Actor: user.ID}, true
	return ctx, user, nil
}

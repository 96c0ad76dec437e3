package crm

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Team manages the users of a dealer and their API keys: who works there, and which programs act for them. It is
// what the HTTP API's /users and /api-keys routes call, and what an embedder calls to do the same.
type Team struct {
	uow         UnitOfWork[Stores]
	clock       Clock
	revocations *Revocations // nil: RevokeAPIKey notes nothing (WithRevocations)
}

// TeamOption changes how NewTeam makes a Team.
type TeamOption func(*Team)

// WithRevocations makes the Team note every key it revokes in r, the deployment's record that its caching
// authenticators follow (httpapi.Config.Revocations, stack.Stack.Revocations), so that they refuse the key from
// the moment RevokeAPIKey returns. Without it (or with a nil r) a Team notes nothing: its revocations reach a
// cache of tokens when the cached entry expires, within its TTL, as a revocation made by another process does.
func WithRevocations(r *Revocations) TeamOption { return func(t *Team) { t.revocations = r } }

// NewTeam returns the team service over the kernel's unit of work, telling time with clock (SystemClock when
// nil). It panics when uow is nil: that is a wiring mistake, not a runtime condition (the convention of every
// service constructor). A Team that revokes API keys beside an HTTP handler of the same process needs the
// handler's record of revocations (WithRevocations with stack.Stack.Revocations or httpapi.Config.Revocations):
// without it, the handler's cache of tokens refuses a key this Team revoked only when its entry expires.
func NewTeam(uow UnitOfWork[Stores], clock Clock, opts ...TeamOption) *Team {
	if uow == nil {
		panic("crm.NewTeam: nil unit of work")
	}
	if clock == nil {
		clock = SystemClock{}
	}
	t := &Team{uow: uow, clock: clock}
	for _, o := range opts {
		o(t)
	}
	return t
}

// now is the service's time, truncated to what every adapter stores.
func (t *Team) now() time.Time { return StorageTime(t.clock.Now()) }

// AddUser validates u (NewUser) and saves it as a user of the context's dealer; KindInvalid naming bad fields
// ("manager_id" when u.ManagerID is not a user of the dealer).
func (t *Team) AddUser(ctx context.Context, u User) (User, error) {
	const op = "crm.Team.AddUser"
	dealer, err := DealerFrom(ctx)
	if err != nil {
		return User{}, err
	}
	nu, err := NewUser(dealer, u, t.now())
	if err != nil {
		return User{}, err
	}
	err = t.uow.Update(ctx, func(ctx context.Context, s Stores) error {
		if err := checkManager(ctx, s.Users(), nu.ID, nu.ManagerID); err != nil {
			return err
		}
		return s.Users().Create(ctx, &nu)
	})
	if err != nil {
		return User{}, fmt.Errorf("%s: %w", op, err)
	}
	return nu, nil
}

// SetManager makes managerID the manager of user id (the zero ID: none), the user read at expectedVersion (0:
// unconditional). The manager must be another user of the context's dealer: KindInvalid naming "manager_id"
// otherwise; KindNotFound for a user the dealer does not have, KindStaleVersion.
func (t *Team) SetManager(ctx context.Context, id ID, expectedVersion int64, managerID ID) (User, error) {
	const op = "crm.Team.SetManager"
	var out User
	err := t.uow.Update(ctx, func(ctx context.Context, s Stores) error {
		u, err := s.Users().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := CheckVersion(op, u.Version, expectedVersion); err != nil {
			return err
		}
		if err := checkManager(ctx, s.Users(), u.ID, managerID); err != nil {
			return err
		}
		if u.ManagerID == managerID {
			out = u
			return nil
		}
		u.ManagerID = managerID
		if err := s.Users().Update(ctx, &u); err != nil {
			return err
		}
		out = u
		return nil
	})
	return out, Wrap(op, err)
}

// checkManager refuses a manager that is the user itself or not a user of the dealer; the zero ID passes.
func checkManager(ctx context.Context, users UserStore, userID, managerID ID) error {
	if managerID == (ID{}) {
		return nil
	}
	if managerID == userID {
		return Invalid("crm.Team", FieldError{Field: "manager_id", Message: "a user cannot be their own manager"})
	}
	if _, err := users.Get(ctx, managerID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return Invalid("crm.Team", FieldError{Field: "manager_id", Message: "is not a user of this dealer"})
		}
		return err
	}
	return nil
}

// Dealer returns the context's dealer.
func (t *Team) Dealer(ctx context.Context) (Dealer, error) {
	id, err := DealerFrom(ctx)
	if err != nil {
		return Dealer{}, err
	}
	var d Dealer
	err = t.uow.View(ctx, func(ctx context.Context, s Stores) (err error) {
		d, err = s.Dealers().Get(ctx, id)
		return err
	})
	return d, err
}

// GetUser returns a user of the context's dealer; KindNotFound if missing or another dealer's.
func (t *Team) GetUser(ctx context.Context, id ID) (User, error) {
	var u User
	err := t.uow.View(ctx, func(ctx context.Context, s Stores) (err error) {
		u, err = s.Users().Get(ctx, id)
		return err
	})
	return u, err
}

// ListUsers returns the users of the context's dealer, ordered by name.
func (t *Team) ListUsers(ctx context.Context) ([]User, error) {
	var out []User
	err := t.uow.View(ctx, func(ctx context.Context, s Stores) (err error) {
		out, err = s.Users().List(ctx)
		return err
	})
	return out, err
}

// KeyRequest is what a new API key is issued with.
type KeyRequest struct {
	Name      string     // what the key is for; required
	ExpiresAt *time.Time // when the key stops working; nil: never. Must be in the future.
}

// IssueAPIKey makes a fresh API key for a user of the context's dealer and returns it with its token, which is
// shown once and never stored. KindNotFound if the user is missing or another dealer's; KindInvalid naming name
// or expires_at.
func (t *Team) IssueAPIKey(ctx context.Context, user ID, req KeyRequest) (APIKey, string, error) {
	const op = "crm.Team.IssueAPIKey"
	now := t.now()
	var p Problems
	p.Require("name", req.Name)
	if req.ExpiresAt != nil && !req.ExpiresAt.After(now) {
		p.Add("expires_at", "must be in the future")
	}
	if err := p.Err(op); err != nil {
		return APIKey{}, "", err
	}
	var key APIKey
	var token string
	err := t.uow.Update(ctx, func(ctx context.Context, s Stores) error {
		u, err := s.Users().Get(ctx, user)
		if err != nil {
			return err
		}
		key, token, err = NewAPIKey(u, req.Name, now)
		if err != nil {
			return err
		}
		if req.ExpiresAt != nil {
			exp := StorageTime(*req.ExpiresAt)
			key.ExpiresAt = &exp
		}
		return s.APIKeys().Create(ctx, &key)
	})
	if err != nil {
		return APIKey{}, "", fmt.Errorf("%s: %w", op, err)
	}
	return key, token, nil
}

// RevokeAPIKey revokes a key of the context's dealer read at expectedVersion (0: unconditional). From the commit on,
// an authenticator that reads the key refuses its token; when RevokeAPIKey returns, the key is in the Team's
// record of revoked keys (WithRevocations), so that the caching authenticators that follow the same record (the
// HTTP API's default one, which remembers tokens for a few seconds) refuse it too. Caches that do not follow it —
// another process's, or every cache when the Team has no record — notice when their cached entry expires
// (httpapi.Config.AuthCacheTTL). KindNotFound if missing or another dealer's; KindStaleVersion; KindConflict if
// already revoked.
func (t *Team) RevokeAPIKey(ctx context.Context, id ID, expectedVersion int64) (APIKey, error) {
	const op = "crm.Team.RevokeAPIKey"
	now := t.now()
	var key APIKey
	err := t.uow.Update(ctx, func(ctx context.Context, s Stores) (err error) {
		if key, err = s.APIKeys().Get(ctx, id); err != nil {
			return err
		}
		if err := CheckVersion(op, key.Version, expectedVersion); err != nil {
			return err
		}
		if err := key.Revoke(now); err != nil {
			return err
		}
		return s.APIKeys().Update(ctx, &key)
	})
	if key.Hash != "" && t.revocations != nil { // also when the commit's outcome is unknown: forgetting a token costs one read
		t.revocations.NoteKeyRevoked(key.Hash)
	}
	if err != nil {
		return APIKey{}, fmt.Errorf("%s: %w", op, err)
	}
	return key, nil
}

// ListAPIKeys returns the keys of a user of the context's dealer, oldest first (revoked ones too);
// KindNotFound if the user is missing or another dealer's.
func (t *Team) ListAPIKeys(ctx context.Context, user ID) ([]APIKey, error) {
	var out []APIKey
	err := t.uow.View(ctx, func(ctx context.Context, s Stores) error {
		if _, err := s.Users().Get(ctx, user); err != nil {
			return err
		}
		var err error
		out, err = s.APIKeys().ListByUser(ctx, user)
		return err
	})
	return out, err
}

package crm

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// APIKey lets a program act as a user: the bearer presents the token, the CRM keeps only its SHA-256 hash.
type APIKey struct {
	Meta
	UserID    ID         `json:"user_id"`
	Name      string     `json:"name"`   // what the key is for, e.g. "dealer website"
	Prefix    string     `json:"prefix"` // the token's first characters, to recognise it in lists
	Hash      string     `json:"-"`      // hex SHA-256 of the token
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// ExpiresAt, when set, is the instant from which the key is refused.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// LastUsedAt is when the key last authenticated a request (kept to the minute: see APIKeyStore.MarkUsed).
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// HashToken returns the hex SHA-256 of a token, the form in which keys are stored and looked up.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// NewAPIKey makes a key for user with a fresh random token (32 bytes, URL-safe base64, prefixed "dcrm_"). The token
// is returned once and never stored.
func NewAPIKey(user User, name string, now time.Time) (APIKey, string, error) {
	var p Problems
	if user.ID == (ID{}) {
		p.Add("user_id", "is required")
	}
	if err := p.Err("crm.NewAPIKey"); err != nil {
		return APIKey{}, "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return APIKey{}, "", E(KindInternal, "crm.NewAPIKey", err)
	}
	token := "dcrm_" + base64.RawURLEncoding.EncodeToString(raw)
	k := APIKey{Meta: NewMeta(user.DealerID, now), UserID: user.ID, Name: name, Prefix: token[:9], Hash: HashToken(token)}
	return k, token, nil
}

// Active reports whether the key is not revoked.
func (k APIKey) Active() bool { return k.RevokedAt == nil }

// UsableAt reports whether the key authenticates at now: it is not revoked and has not expired.
func (k APIKey) UsableAt(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}

// Revoke marks the key revoked at now; KindConflict if it already is.
func (k *APIKey) Revoke(now time.Time) error {
	if k.RevokedAt != nil {
		return Conflict("crm.APIKey.Revoke", "key %s is already revoked", k.ID)
	}
	k.RevokedAt = &now
	k.UpdatedAt = now
	return nil
}

// APIKeyStore keeps API keys.
type APIKeyStore interface {
	// FindByHash returns the key with that token hash, whatever its dealer (it is how a request finds its dealer);
	// KindNotFound if none.
	FindByHash(ctx context.Context, hash string) (APIKey, error)
	// FindWithUser returns the key with that token hash, whatever its dealer, and the key's user (of the key's
	// dealer), in one read: how a request is authenticated. KindNotFound if there is no such key or its user is
	// gone.
	FindWithUser(ctx context.Context, hash string) (APIKey, User, error)
	// Create saves a new key of the context's dealer (Version becomes 1); KindConflict if the hash exists.
	Create(ctx context.Context, k *APIKey) error
	// Get returns the key of the context's dealer; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id ID) (APIKey, error)
	// Update saves k (revocation, name, expiry) if its version is the stored one and bumps it; KindNotFound if
	// missing or another dealer's, KindStaleVersion if the version moved.
	Update(ctx context.Context, k *APIKey) error
	// MarkUsed records that the key of the context's dealer authenticated a request at at, without changing its
	// version (a use is not an edit); KindNotFound if missing or another dealer's.
	MarkUsed(ctx context.Context, id ID, at time.Time) error
	// ListByUser returns the keys of a user of the context's dealer, oldest first.
	ListByUser(ctx context.Context, user ID) ([]APIKey, error)
}

// APIKeyAuthenticator is what an adapter's Transactor offers to authenticate a request in one statement, outside
// any unit of work (both adapters' DB have it; httpapi.KeyAuthenticator uses it when its unit of work is a
// NewUnit over such a Transactor, and FindWithUser then MarkUsed in a unit of their own otherwise).
type APIKeyAuthenticator interface {
	// AuthenticateAPIKey returns what FindWithUser returns for hash (KindNotFound if there is no such key or its
	// user is gone) and, in the same statement, records now as the key's last use when the key is usable at now
	// (APIKey.UsableAt) and its last use is none or not after staleBefore: so a key's LastUsedAt is written at
	// most once per (now − staleBefore) and LastUsedAt stays to that precision. The key returned carries the
	// last use as recorded by the statement. The statement is atomic: of two at once, one records the use.
	AuthenticateAPIKey(ctx context.Context, hash string, now, staleBefore time.Time) (APIKey, User, error)
}

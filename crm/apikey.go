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

// APIKeyStore keeps API keys.
type APIKeyStore interface {
	// FindByHash returns the key with that token hash, whatever its dealer (it is how a request finds its dealer);
	// KindNotFound if none.
	FindByHash(ctx context.Context, hash string) (APIKey, error)
	// Create saves a new key of the context's dealer (Version becomes 1); KindConflict if the hash exists.
	Create(ctx context.Context, k *APIKey) error
}

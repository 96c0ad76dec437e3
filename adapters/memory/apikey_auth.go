package memory

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// AuthenticateAPIKey implements crm.APIKeyAuthenticator: the key and its user are read under the shared lock,
// and only when the use is to be recorded (a usable key last used at staleBefore or earlier) is the exclusive
// lock taken, the key read again and the use recorded, as PostgreSQL's one statement does (of two at once, one
// records the use).
func (db *DB) AuthenticateAPIKey(ctx context.Context, hash string, now, staleBefore time.Time) (crm.APIKey, crm.User, error) {
	var k crm.APIKey
	var u crm.User
	find := func(ctx context.Context, tx *Tx) (err error) {
		k, u, err = tx.APIKeys().FindWithUser(ctx, hash)
		return err
	}
	stale := func() bool { return k.UsableAt(now) && (k.LastUsedAt == nil || !k.LastUsedAt.After(staleBefore)) }
	if err := db.view(ctx, find); err != nil || !stale() {
		return k, u, err
	}
	err := db.update(ctx, func(ctx context.Context, tx *Tx) error {
		if err := find(ctx, tx); err != nil || !stale() {
			return err
		}
		if err := tx.APIKeys().MarkUsed(crm.WithDealer(ctx, k.DealerID), k.ID, now); err != nil {
			return err
		}
		at := now
		k.LastUsedAt = &at
		return nil
	})
	if err != nil {
		return crm.APIKey{}, crm.User{}, err
	}
	return k, u, nil
}

var _ crm.APIKeyAuthenticator = (*DB)(nil)

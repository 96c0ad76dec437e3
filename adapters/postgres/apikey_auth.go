package postgres

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// authenticateAPIKey reads the key with the hash ($1) and its user and, when the key is usable at $2 and its last
// use is none or not after $3, records $2 as its last use: one statement. The UPDATE and the SELECT see the same
// snapshot, so the SELECT returns the last use before the statement and the UPDATE's RETURNING the one it wrote.
// Under read committed, an UPDATE that waits for another transaction's write of the row (another process
// recording the same use, a revocation) evaluates its conditions again on the row that transaction left, so of
// two uses at once one writes.
const authenticateAPIKey = `WITH used AS (
	UPDATE api_keys k SET last_used_at = $2 FROM users u
	WHERE k.hash = $1 AND u.id = k.user_id AND u.dealer_id = k.dealer_id
		AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2)
		AND (k.last_used_at IS NULL OR k.last_used_at <= $3)
	RETURNING k.last_used_at)
SELECT ` + apiKeyUserCols + `, (SELECT last_used_at FROM used) FROM api_keys k
	JOIN users u ON u.id = k.user_id AND u.dealer_id = k.dealer_id WHERE k.hash = $1`

// AuthenticateAPIKey implements crm.APIKeyAuthenticator in one statement sent on the pool, outside any
// transaction (inside the shared transaction the context carries, if any: DB.Share). Errors are kernel errors:
// KindNotFound when there is no such key or its user is gone.
func (db *DB) AuthenticateAPIKey(ctx context.Context, hash string, now, staleBefore time.Time) (crm.APIKey, crm.User, error) {
	if s := db.sharedIn(ctx); s != nil {
		var k crm.APIKey
		var u crm.User
		err := s.run(ctx, true, func(ctx context.Context, tx *Tx) (err error) {
			k, u, err = scanAuthenticated(ctx, tx.tx, hash, now, staleBefore)
			return err
		})
		return k, u, err
	}
	k, u, err := scanAuthenticated(ctx, db.x, hash, now, staleBefore)
	return k, u, canceledBy(ctx, err)
}

// scanAuthenticated runs authenticateAPIKey through q: the key (its last use as the statement recorded it) and its
// user.
func scanAuthenticated(ctx context.Context, q querier, hash string, now, staleBefore time.Time) (crm.APIKey, crm.User, error) {
	var used *time.Time
	k, u, err := scanAPIKeyUser("postgres.AuthenticateAPIKey", q.QueryRowxContext(ctx, authenticateAPIKey, hash, now, staleBefore), &used)
	if err == nil && used != nil {
		k.LastUsedAt = utcPtr(used)
	}
	return k, u, err
}

var _ crm.APIKeyAuthenticator = (*DB)(nil)

// Package pgidempotency keeps the HTTP layer's idempotency records in PostgreSQL (table idempotency_keys,
// migration 006 of adapters/postgres), so that a retried POST gets the first response even after a restart and
// from any of several server processes sharing one database:
//
//	db, _ := postgres.Open(ctx, url) // and db.Migrate(ctx)
//	idem := pgidempotency.New(db.SQLX(), 24*time.Hour)
//	cfg := st.HTTPConfig()
//	cfg.Idempotency = idem
//	h, _ := httpapi.New(cfg)
//	// now and then: idem.Purge(ctx, time.Now().Add(-idem.Lifetime()))
//
// Expiry is judged by the time the caller passes to Begin (the handler's clock), to the microsecond; expired
// rows are ignored and re-claimed, and removed by Purge.
package pgidempotency

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/jmoiron/sqlx"
)

// Store is an httpapi.IdempotencyStore over PostgreSQL. Safe for concurrent use, within one process and across
// processes.
type Store struct {
	x        *sqlx.DB
	lifetime time.Duration
}

var _ httpapi.IdempotencyStore = (*Store)(nil)

// New returns a store over x (e.g. postgres.DB.SQLX()) whose records are replayed for lifetime
// (httpapi.DefaultIdempotencyTTL when not positive). The database must be migrated (postgres.DB.Migrate).
func New(x *sqlx.DB, lifetime time.Duration) *Store {
	if lifetime <= 0 {
		lifetime = httpapi.DefaultIdempotencyTTL
	}
	return &Store{x: x, lifetime: lifetime}
}

// Lifetime returns how long a record is replayed after it was claimed.
func (s *Store) Lifetime() time.Duration { return s.lifetime }

// maxBeginAttempts bounds Begin's loop; it only goes round again when a record it saw vanished (released or
// purged) before it could read it.
const maxBeginAttempts = 10

// claimSQL inserts a pending record, or takes over an expired one (created_at at or before $6). It returns a row
// only when it claimed: a live record is left alone (though locked until the statement ends). Concurrent claims
// of one key are serialised by the primary key, and a waiting claim re-checks the expiry against the row the
// winner wrote, so exactly one of them claims.
const claimSQL = `INSERT INTO idempotency_keys AS k (dealer_id, user_id, key, fingerprint, pending, status, header, body, created_at)
VALUES ($1, $2, $3, $4, true, 0, '{}', '', $5)
ON CONFLICT (dealer_id, user_id, key) DO UPDATE
SET fingerprint = EXCLUDED.fingerprint, pending = true, status = 0, header = '{}', body = '', created_at = EXCLUDED.created_at
WHERE k.created_at <= $6
RETURNING true`

// Begin claims key unless a live record exists (see httpapi.IdempotencyStore): one INSERT … ON CONFLICT DO UPDATE
// that claims an absent or expired key atomically, then, when it did not claim, a read of the live record in a
// fresh statement (so that it sees a claim committed while the insert waited). Errors are the driver's, wrapped.
func (s *Store) Begin(ctx context.Context, key httpapi.IdempotencyKey, fingerprint string, now time.Time) (httpapi.IdempotencyRecord, bool, error) {
	now = dbTime(now)
	expiry := dbTime(now.Add(-s.lifetime))
	for range maxBeginAttempts {
		var claimed bool
		err := s.x.GetContext(ctx, &claimed, claimSQL, key.DealerID, key.UserID, key.Key, fingerprint, now, expiry)
		switch {
		case err == nil:
			return httpapi.IdempotencyRecord{}, true, nil
		case !errors.Is(err, sql.ErrNoRows):
			return httpapi.IdempotencyRecord{}, false, fmt.Errorf("pgidempotency.Begin: %w", err)
		}
		rec, found, err := s.get(ctx, key)
		if err != nil {
			return httpapi.IdempotencyRecord{}, false, fmt.Errorf("pgidempotency.Begin: %w", err)
		}
		if found {
			return rec, false, nil
		}
	}
	return httpapi.IdempotencyRecord{}, false, crm.E(crm.KindConflict, "pgidempotency.Begin",
		fmt.Errorf("the record of key %q kept changing", key.Key))
}

// row is one idempotency_keys row as read.
type row struct {
	Fingerprint string    `db:"fingerprint"`
	Pending     bool      `db:"pending"`
	Status      int       `db:"status"`
	Header      []byte    `db:"header"`
	Body        []byte    `db:"body"`
	CreatedAt   time.Time `db:"created_at"`
}

// get reads the record under key; found is false when there is none.
func (s *Store) get(ctx context.Context, key httpapi.IdempotencyKey) (rec httpapi.IdempotencyRecord, found bool, err error) {
	var r row
	err = s.x.GetContext(ctx, &r, `SELECT fingerprint, pending, status, header, body, created_at FROM idempotency_keys
		WHERE dealer_id = $1 AND user_id = $2 AND key = $3`, key.DealerID, key.UserID, key.Key)
	if errors.Is(err, sql.ErrNoRows) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, err
	}
	rec = httpapi.IdempotencyRecord{Fingerprint: r.Fingerprint, Pending: r.Pending, CreatedAt: r.CreatedAt.UTC()}
	if r.Pending {
		return rec, true, nil
	}
	rec.Response.Status = r.Status
	if err := json.Unmarshal(r.Header, &rec.Response.Header); err != nil {
		return rec, false, fmt.Errorf("header of key %q: %w", key.Key, err)
	}
	if len(rec.Response.Header) == 0 {
		rec.Response.Header = nil
	}
	if len(r.Body) > 0 {
		rec.Response.Body = r.Body
	}
	return rec, true, nil
}

// Complete stores resp under key and marks the record finished; a missing key is not an error (nothing is
// stored). Errors are the driver's, wrapped.
func (s *Store) Complete(ctx context.Context, key httpapi.IdempotencyKey, resp httpapi.StoredResponse) error {
	header := resp.Header
	if header == nil {
		header = http.Header{}
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("pgidempotency.Complete: %w", err)
	}
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	_, err = s.x.ExecContext(ctx, `UPDATE idempotency_keys SET pending = false, status = $4, header = $5, body = $6
		WHERE dealer_id = $1 AND user_id = $2 AND key = $3`, key.DealerID, key.UserID, key.Key, resp.Status, string(hj), body)
	if err != nil {
		return fmt.Errorf("pgidempotency.Complete: %w", err)
	}
	return nil
}

// Release deletes key's record if it is still pending, so that a retry runs; a finished or missing record is left
// as it is. Errors are the driver's, wrapped.
func (s *Store) Release(ctx context.Context, key httpapi.IdempotencyKey) error {
	_, err := s.x.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE dealer_id = $1 AND user_id = $2 AND key = $3 AND pending`,
		key.DealerID, key.UserID, key.Key)
	if err != nil {
		return fmt.Errorf("pgidempotency.Release: %w", err)
	}
	return nil
}

// Purge deletes every record claimed before before (pending or finished) and returns how many it deleted. Call
// it now and then with now minus Lifetime(): Begin ignores expired records, Purge reclaims their space. Errors are
// the driver's, wrapped.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.x.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, dbTime(before))
	if err != nil {
		return 0, fmt.Errorf("pgidempotency.Purge: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("pgidempotency.Purge: %w", err)
	}
	return n, nil
}

// dbTime is t as timestamptz keeps it: UTC, to the microsecond.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

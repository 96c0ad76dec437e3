// Package pgidempotency keeps the HTTP layer's idempotency records in PostgreSQL (table idempotency_keys,
// migration 006 of adapters/postgres), so that a retried POST gets the first response even after a restart and
// from any of several server processes sharing one database:
//
//	db, _ := postgres.Open(ctx, url) // and db.Migrate(ctx)
//	idem := pgidempotency.New(db, 24*time.Hour)
//	cfg := st.HTTPConfig()
//	cfg.Idempotency = idem
//	h, _ := httpapi.New(cfg)
//	// now and then: idem.Purge(ctx, time.Now().Add(-idem.Lifetime()))
//
// Expiry is judged by the time the caller passes to Begin (the handler's clock), to the microsecond; expired
// rows are ignored and re-claimed, and removed by Purge.
//
// The handler uses the store's Atomic (httpapi.AtomicIdempotencyStore): the claim, every unit of work of the
// request and the stored answer are one transaction (postgres.DB.Share). So after any crash — the process killed,
// the connection or the database lost — a key either holds the answer of a write that committed with it, or
// nothing happened and the key is free at once (PostgreSQL rolls back the dead connection's transaction, claim
// included). A duplicate that arrives meanwhile waits on the claim's row until the first ends. A process that
// hangs without dying holds its claim at most the lease (idle_in_transaction_session_timeout).
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
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/jmoiron/sqlx"
)

// Store is an httpapi.AtomicIdempotencyStore over PostgreSQL. Safe for concurrent use, within one process and
// across processes.
type Store struct {
	db       *postgres.DB
	x        *sqlx.DB
	lifetime time.Duration
	lease    time.Duration
}

var _ httpapi.AtomicIdempotencyStore = (*Store)(nil)

// DefaultLease is how long a claim whose request stopped without dying (a hung process, a lost network) holds
// its key: the transaction of an Atomic claim is ended by PostgreSQL after this long idle, and a pending record
// of Begin is taken over after it.
const DefaultLease = 15 * time.Second

// New returns a store over db whose records are replayed for lifetime (httpapi.DefaultIdempotencyTTL when not
// positive), with DefaultLease. The database must be migrated (postgres.DB.Migrate).
func New(db *postgres.DB, lifetime time.Duration) *Store {
	if lifetime <= 0 {
		lifetime = httpapi.DefaultIdempotencyTTL
	}
	return &Store{db: db, x: db.SQLX(), lifetime: lifetime, lease: DefaultLease}
}

// WithLease returns a copy of s whose claims lapse after lease (DefaultLease when not positive).
func (s *Store) WithLease(lease time.Duration) *Store {
	c := *s
	if lease <= 0 {
		lease = DefaultLease
	}
	c.lease = lease
	return &c
}

// Lifetime returns how long a record is replayed after it was claimed.
func (s *Store) Lifetime() time.Duration { return s.lifetime }

// maxBeginAttempts bounds Begin's loop; it only goes round again when a record it saw vanished (released or
// purged) before it could read it.
const maxBeginAttempts = 10

// claimSQL inserts a pending record, or takes over an expired one (created_at at or before $6) or a pending one
// whose lease ran out (created_at at or before $7). It returns a row only when it claimed: a live record is left
// alone (though locked until the statement ends). Concurrent claims of one key are serialised by the primary
// key, and a waiting claim re-checks the expiry against the row the winner wrote, so exactly one of them claims.
const claimSQL = `INSERT INTO idempotency_keys AS k (dealer_id, user_id, key, fingerprint, pending, status, header, body, created_at)
VALUES ($1, $2, $3, $4, true, 0, '{}', '', $5)
ON CONFLICT (dealer_id, user_id, key) DO UPDATE
SET fingerprint = EXCLUDED.fingerprint, pending = true, status = 0, header = '{}', body = '', created_at = EXCLUDED.created_at
WHERE k.created_at <= $6 OR k.pending AND k.created_at <= $7
RETURNING true`

// Begin claims key unless a live record exists (see httpapi.IdempotencyStore): one INSERT … ON CONFLICT DO UPDATE
// that claims an absent or expired key atomically, then, when it did not claim, a read of the live record in a
// fresh statement (so that it sees a claim committed while the insert waited). Errors are the driver's, wrapped.
func (s *Store) Begin(ctx context.Context, key httpapi.IdempotencyKey, fingerprint string, now time.Time) (httpapi.IdempotencyRecord, bool, error) {
	now = dbTime(now)
	expiry, lapsed := dbTime(now.Add(-s.lifetime)), dbTime(now.Add(-s.lease))
	for range maxBeginAttempts {
		var claimed bool
		err := s.x.GetContext(ctx, &claimed, claimSQL, key.DealerID, key.UserID, key.Key, fingerprint, now, expiry, lapsed)
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

// getter runs a query of one row: the pool's GetContext or a shared transaction's Get.
type getter func(ctx context.Context, dest any, query string, args ...any) error

// get reads the record under key; found is false when there is none.
func (s *Store) get(ctx context.Context, key httpapi.IdempotencyKey) (rec httpapi.IdempotencyRecord, found bool, err error) {
	return readRecord(ctx, s.x.GetContext, key)
}

// readRecord reads the record under key through get; found is false when there is none.
func readRecord(ctx context.Context, get getter, key httpapi.IdempotencyKey) (rec httpapi.IdempotencyRecord, found bool, err error) {
	var r row
	err = get(ctx, &r, `SELECT fingerprint, pending, status, header, body, created_at FROM idempotency_keys
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
	query, args, err := completion(key, resp)
	if err == nil {
		_, err = s.x.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return fmt.Errorf("pgidempotency.Complete: %w", err)
	}
	return nil
}

// completion is the statement that stores resp under key and marks the record finished.
func completion(key httpapi.IdempotencyKey, resp httpapi.StoredResponse) (string, []any, error) {
	header := resp.Header
	if header == nil {
		header = http.Header{}
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return "", nil, err
	}
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	return `UPDATE idempotency_keys SET pending = false, status = $4, header = $5, body = $6
		WHERE dealer_id = $1 AND user_id = $2 AND key = $3`,
		[]any{key.DealerID, key.UserID, key.Key, resp.Status, string(hj), body}, nil
}

// Atomic claims key and runs serve in one transaction with the claim, every unit of work of serve's context, and
// serve's response (see httpapi.AtomicIdempotencyStore): a committed key always holds the answer of what
// committed with it. A live record (finished, or claimed by a Begin whose lease has not run out) is returned
// with claimed false and serve does not run; a claim in flight in another transaction is waited for until it
// ends or ctx is done (then a pending record is returned, claimed false). Errors are kernel errors
// (crm.KindUnavailable when the database cannot be reached or the connection was lost; then nothing serve
// wrote is kept, unless the loss hit the COMMIT itself, whose outcome a retry with the key finds out).
func (s *Store) Atomic(ctx context.Context, key httpapi.IdempotencyKey, fingerprint string, now time.Time,
	serve func(ctx context.Context) (httpapi.StoredResponse, bool)) (httpapi.IdempotencyRecord, bool, error) {
	const op = "pgidempotency.Atomic"
	now = dbTime(now)
	expiry, lapsed := dbTime(now.Add(-s.lifetime)), dbTime(now.Add(-s.lease))
	reruns := 0
	for range maxBeginAttempts {
		sctx, tx, err := s.db.Share(ctx)
		if err != nil {
			return httpapi.IdempotencyRecord{}, false, crm.Wrap(op, err)
		}
		rec, claimed, done, err := s.atomicOnce(ctx, sctx, tx, key, fingerprint, now, expiry, lapsed, serve)
		if !claimed || err != nil {
			_ = tx.Rollback()
		}
		if claimed && tx.Lost() && !committing(err) && ctx.Err() == nil && reruns < maxLostReruns {
			// The connection died under the request before its COMMIT was sent: PostgreSQL rolled everything
			// back, claim included, so the request runs again on a fresh connection, as a client's retry would.
			reruns++
			continue
		}
		if done || err != nil {
			return rec, claimed, crm.Wrap(op, err)
		}
	}
	return httpapi.IdempotencyRecord{}, false, crm.E(crm.KindConflict, op,
		fmt.Errorf("the record of key %q kept changing", key.Key))
}

// maxLostReruns is how many times Atomic runs a request again whose connection died before its COMMIT; after
// that the request's own answer (a 503) stands.
const maxLostReruns = 2

// committing reports whether err is the failure of a COMMIT, whose outcome is unknown: such a request is never
// run again here (a retry with the key finds out what happened).
func committing(err error) bool {
	var e *crm.Error
	return errors.As(err, &e) && e.Op == "postgres.Commit"
}

// atomicOnce is one attempt of Atomic in the shared transaction tx; done is false when the record it lost the
// claim to vanished before it could read it (so Atomic tries again).
func (s *Store) atomicOnce(ctx, sctx context.Context, tx *postgres.SharedTx, key httpapi.IdempotencyKey, fingerprint string,
	now, expiry, lapsed time.Time, serve func(ctx context.Context) (httpapi.StoredResponse, bool)) (rec httpapi.IdempotencyRecord, claimed, done bool, err error) {
	if _, err := tx.Exec(ctx, `SELECT set_config('idle_in_transaction_session_timeout', $1, true)`,
		fmt.Sprint(s.lease.Milliseconds())); err != nil {
		return rec, false, true, err
	}
	var ok bool
	err = tx.Get(ctx, &ok, claimSQL, key.DealerID, key.UserID, key.Key, fingerprint, now, expiry, lapsed)
	switch {
	case err != nil && ctx.Err() != nil: // waited for a claim in flight until the request's deadline
		return httpapi.IdempotencyRecord{Fingerprint: fingerprint, Pending: true}, false, true, nil
	case errors.Is(err, sql.ErrNoRows):
		rec, found, err := readRecord(ctx, tx.Get, key)
		return rec, false, found, err
	case err != nil:
		return rec, false, true, err
	}
	resp, keep := serve(sctx)
	if !keep {
		return rec, true, true, tx.Rollback()
	}
	query, args, err := completion(key, resp)
	if err != nil {
		return rec, true, true, err
	}
	if _, err := tx.Exec(ctx, query, args...); err != nil {
		return rec, true, true, err
	}
	return rec, true, true, tx.Commit()
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

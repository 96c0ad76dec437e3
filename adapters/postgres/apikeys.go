package postgres

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
)

type apiKeyStore struct{ t *Tx }

// APIKeys returns the API key store of this unit of work.
func (t *Tx) APIKeys() crm.APIKeyStore { return apiKeyStore{t} }

const apiKeyCols = `id, dealer_id, version, created_at, updated_at, user_id, name, prefix, hash, revoked_at, expires_at, last_used_at`

func scanAPIKey(row interface{ Scan(...any) error }) (crm.APIKey, error) {
	var k crm.APIKey
	err := row.Scan(&k.ID, &k.DealerID, &k.Version, &k.CreatedAt, &k.UpdatedAt, &k.UserID, &k.Name, &k.Prefix, &k.Hash,
		&k.RevokedAt, &k.ExpiresAt, &k.LastUsedAt)
	k.CreatedAt, k.UpdatedAt = k.CreatedAt.UTC(), k.UpdatedAt.UTC()
	k.RevokedAt, k.ExpiresAt, k.LastUsedAt = utcPtr(k.RevokedAt), utcPtr(k.ExpiresAt), utcPtr(k.LastUsedAt)
	return k, err
}

// utcPtr returns *t in UTC, or nil.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func (s apiKeyStore) FindByHash(ctx context.Context, hash string) (crm.APIKey, error) {
	k, err := scanAPIKey(s.t.tx.QueryRowxContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE hash = $1`, hash))
	if isNoRows(err) {
		return crm.APIKey{}, crm.NotFound("postgres.APIKeys.FindByHash", "no such key")
	}
	return k, mapErr("postgres.APIKeys.FindByHash", err)
}

// apiKeyUserCols are the columns of a key (k) and its user (u), in the order scanAPIKeyUser reads them.
const apiKeyUserCols = `k.id, k.dealer_id, k.version, k.created_at, k.updated_at, k.user_id, k.name, k.prefix, k.hash,
	k.revoked_at, k.expires_at, k.last_used_at, u.id, u.dealer_id, u.version, u.created_at, u.updated_at, u.name, u.email, u.role,
	u.manager_id`

func (s apiKeyStore) FindWithUser(ctx context.Context, hash string) (crm.APIKey, crm.User, error) {
	return scanAPIKeyUser("postgres.APIKeys.FindWithUser", s.t.tx.QueryRowxContext(ctx, `SELECT `+apiKeyUserCols+` FROM api_keys k
		JOIN users u ON u.id = k.user_id AND u.dealer_id = k.dealer_id WHERE k.hash = $1`, hash))
}

// scanAPIKeyUser reads a row of apiKeyUserCols, then extra's columns: a key and its user, their times in UTC;
// KindNotFound (for op) when there is no row.
func scanAPIKeyUser(op string, row interface{ Scan(...any) error }, extra ...any) (crm.APIKey, crm.User, error) {
	var k crm.APIKey
	var u crm.User
	var role string
	var manager uuid.NullUUID
	dest := append([]any{&k.ID, &k.DealerID, &k.Version, &k.CreatedAt, &k.UpdatedAt, &k.UserID, &k.Name, &k.Prefix,
		&k.Hash, &k.RevokedAt, &k.ExpiresAt, &k.LastUsedAt,
		&u.ID, &u.DealerID, &u.Version, &u.CreatedAt, &u.UpdatedAt, &u.Name, &u.Email, &role, &manager}, extra...)
	err := row.Scan(dest...)
	if isNoRows(err) {
		return crm.APIKey{}, crm.User{}, crm.NotFound(op, "no such key, or its user is gone")
	}
	if err != nil {
		return crm.APIKey{}, crm.User{}, mapErr(op, err)
	}
	k.CreatedAt, k.UpdatedAt = k.CreatedAt.UTC(), k.UpdatedAt.UTC()
	k.RevokedAt, k.ExpiresAt, k.LastUsedAt = utcPtr(k.RevokedAt), utcPtr(k.ExpiresAt), utcPtr(k.LastUsedAt)
	u.Role = crm.Role(role)
	if manager.Valid {
		u.ManagerID = manager.UUID
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return k, u, nil
}

func (s apiKeyStore) Create(ctx context.Context, k *crm.APIKey) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&k.Meta, d, "postgres.APIKeys.Create"); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO api_keys (`+apiKeyCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		k.ID, k.DealerID, k.CreatedAt, k.UpdatedAt, k.UserID, k.Name, k.Prefix, k.Hash, k.RevokedAt, k.ExpiresAt, k.LastUsedAt)
	return created(&k.Meta, mapErr("postgres.APIKeys.Create", err))
}

func (s apiKeyStore) Get(ctx context.Context, id crm.ID) (crm.APIKey, error) {
	d, err := dealer(ctx)
	if err != nil {
		return crm.APIKey{}, err
	}
	k, err := scanAPIKey(s.t.tx.QueryRowxContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE id = $1 AND dealer_id = $2`, id, d))
	if isNoRows(err) {
		return crm.APIKey{}, crm.NotFound("postgres.APIKeys.Get", "api key %s not found", id)
	}
	return k, mapErr("postgres.APIKeys.Get", err)
}

func (s apiKeyStore) Update(ctx context.Context, k *crm.APIKey) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	const op = "postgres.APIKeys.Update"
	if k.DealerID != d {
		return crm.Forbidden(op, "record belongs to another dealer")
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE api_keys SET version = version + 1, updated_at = $4, name = $5,
		revoked_at = $6, expires_at = $7 WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		k.ID, d, k.Version, k.UpdatedAt, k.Name, k.RevokedAt, k.ExpiresAt)
	if err := s.t.updated(ctx, op, "api_keys", k.ID, d, res, err); err != nil {
		return err
	}
	k.Version++
	return nil
}

func (s apiKeyStore) MarkUsed(ctx context.Context, id crm.ID, at time.Time) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE api_keys SET last_used_at = $3 WHERE id = $1 AND dealer_id = $2`, id, d, at)
	if err != nil {
		return mapErr("postgres.APIKeys.MarkUsed", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return mapErr("postgres.APIKeys.MarkUsed", err)
		}
		return crm.NotFound("postgres.APIKeys.MarkUsed", "api key %s not found", id)
	}
	return nil
}

func (s apiKeyStore) ListByUser(ctx context.Context, user crm.ID) ([]crm.APIKey, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE dealer_id = $1 AND user_id = $2
		ORDER BY created_at, id`, d, user)
	return collect(rows, err, "postgres.APIKeys.ListByUser", scanAPIKey)
}

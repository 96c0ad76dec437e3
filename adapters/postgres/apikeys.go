package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

type apiKeyStore struct{ t *Tx }

// APIKeys returns the API key store of this unit of work.
func (t *Tx) APIKeys() crm.APIKeyStore { return apiKeyStore{t} }

const apiKeyCols = `id, dealer_id, version, created_at, updated_at, user_id, name, prefix, hash, revoked_at`

func (s apiKeyStore) FindByHash(ctx context.Context, hash string) (crm.APIKey, error) {
	var k crm.APIKey
	err := s.t.tx.QueryRowxContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE hash = $1`, hash).Scan(
		&k.ID, &k.DealerID, &k.Version, &k.CreatedAt, &k.UpdatedAt, &k.UserID, &k.Name, &k.Prefix, &k.Hash, &k.RevokedAt)
	if isNoRows(err) {
		return crm.APIKey{}, crm.NotFound("postgres.APIKeys.FindByHash", "no such key")
	}
	k.CreatedAt, k.UpdatedAt = k.CreatedAt.UTC(), k.UpdatedAt.UTC()
	return k, mapErr("postgres.APIKeys.FindByHash", err)
}

func (s apiKeyStore) Create(ctx context.Context, k *crm.APIKey) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := claim(&k.Meta, d, "postgres.APIKeys.Create"); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO api_keys (`+apiKeyCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9)`,
		k.ID, k.DealerID, k.CreatedAt, k.UpdatedAt, k.UserID, k.Name, k.Prefix, k.Hash, k.RevokedAt)
	return created(&k.Meta, mapErr("postgres.APIKeys.Create", err))
}

package memory

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

var apiKeyRecords = records[crm.APIKey]{name: "api_keys", meta: func(k *crm.APIKey) *crm.Meta { return &k.Meta },
	clone: func(k crm.APIKey) crm.APIKey {
		if k.RevokedAt != nil {
			t := *k.RevokedAt
			k.RevokedAt = &t
		}
		return k
	}}

type apiKeyStore struct{ tx *Tx }

// APIKeys returns the API key store of this unit of work.
func (tx *Tx) APIKeys() crm.APIKeyStore { return apiKeyStore{tx} }

func (s apiKeyStore) hashes() *table[string, crm.ID] {
	return tableOf[string, crm.ID](s.tx.db, "api_keys_by_hash")
}

func (s apiKeyStore) FindByHash(ctx context.Context, hash string) (crm.APIKey, error) {
	id, ok := s.hashes().get(hash)
	if !ok {
		return crm.APIKey{}, crm.NotFound("memory.APIKeys.FindByHash", "no such key")
	}
	k, _ := apiKeyRecords.table(s.tx).get(id)
	return apiKeyRecords.copy(k), nil
}

func (s apiKeyStore) Create(ctx context.Context, k *crm.APIKey) error {
	if _, ok := s.hashes().get(k.Hash); ok {
		return crm.Conflict("memory.APIKeys.Create", "key already exists")
	}
	if err := apiKeyRecords.create(ctx, s.tx, k); err != nil {
		return err
	}
	return s.hashes().put(s.tx, k.Hash, k.ID)
}

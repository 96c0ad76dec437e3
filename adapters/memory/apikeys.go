package memory

import (
	"context"
	"sort"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

var apiKeyRecords = records[crm.APIKey]{name: "api_keys", meta: func(k *crm.APIKey) *crm.Meta { return &k.Meta },
	clone: func(k crm.APIKey) crm.APIKey {
		k.RevokedAt, k.ExpiresAt, k.LastUsedAt = copyTime(k.RevokedAt), copyTime(k.ExpiresAt), copyTime(k.LastUsedAt)
		return k
	}}

// copyTime returns a pointer to a copy of *t, or nil.
func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

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

func (s apiKeyStore) FindWithUser(ctx context.Context, hash string) (crm.APIKey, crm.User, error) {
	k, err := s.FindByHash(ctx, hash)
	if err != nil {
		return crm.APIKey{}, crm.User{}, err
	}
	u, err := userRecords.get(crm.WithDealer(ctx, k.DealerID), s.tx, k.UserID)
	if err != nil {
		return crm.APIKey{}, crm.User{}, err
	}
	return k, u, nil
}

func (s apiKeyStore) Create(ctx context.Context, k *crm.APIKey) error {
	if _, ok := s.hashes().get(k.Hash); ok {
		return crm.Duplicate("memory.APIKeys.Create", "key already exists")
	}
	if err := apiKeyRecords.create(ctx, s.tx, k); err != nil {
		return err
	}
	return s.hashes().put(s.tx, k.Hash, k.ID)
}

func (s apiKeyStore) Get(ctx context.Context, id crm.ID) (crm.APIKey, error) {
	return apiKeyRecords.get(ctx, s.tx, id)
}

func (s apiKeyStore) Update(ctx context.Context, k *crm.APIKey) error {
	return apiKeyRecords.update(ctx, s.tx, k)
}

func (s apiKeyStore) MarkUsed(ctx context.Context, id crm.ID, at time.Time) error {
	k, err := apiKeyRecords.get(ctx, s.tx, id)
	if err != nil {
		return err
	}
	k.LastUsedAt = &at
	return apiKeyRecords.table(s.tx).put(s.tx, id, k)
}

func (s apiKeyStore) ListByUser(ctx context.Context, user crm.ID) ([]crm.APIKey, error) {
	out, err := apiKeyRecords.all(ctx, s.tx, func(k *crm.APIKey) bool { return k.UserID == user })
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}

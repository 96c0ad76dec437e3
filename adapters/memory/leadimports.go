package memory

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

type importKeyID struct {
	dealer crm.ID
	key    string
}

type leadImportStore struct{ tx *Tx }

// LeadImports returns the import-key store of this unit of work.
func (tx *Tx) LeadImports() leads.ImportStore { return leadImportStore{tx} }

func (s leadImportStore) table() *table[importKeyID, leads.ImportKey] {
	return tableOf[importKeyID, leads.ImportKey](s.tx.db, "lead_import_keys")
}

func (s leadImportStore) Create(ctx context.Context, k *leads.ImportKey) error {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	if k.DealerID == (crm.ID{}) {
		k.DealerID = d
	}
	if k.DealerID != d {
		return crm.Forbidden("memory.LeadImports.Create", "key belongs to another dealer")
	}
	if k.Key == "" {
		return crm.Invalid("memory.LeadImports.Create", crm.FieldError{Field: "key", Message: "is required"})
	}
	id := importKeyID{d, k.Key}
	if _, ok := s.table().get(id); ok {
		return crm.Duplicate("memory.LeadImports.Create", "prospect %s already imported", k.Key)
	}
	k.CreatedAt = s.tx.now
	return s.table().put(s.tx, id, *k)
}

func (s leadImportStore) Get(ctx context.Context, key string) (leads.ImportKey, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return leads.ImportKey{}, err
	}
	k, ok := s.table().get(importKeyID{d, key})
	if !ok {
		return leads.ImportKey{}, crm.NotFound("memory.LeadImports.Get", "prospect %s not imported", key)
	}
	return k, nil
}

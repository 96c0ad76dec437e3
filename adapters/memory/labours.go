package memory

import (
	"bytes"
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

var (
	labourRecords = records[catalog.Labour]{name: "labours", meta: func(s *catalog.Labour) *crm.Meta { return &s.Meta }}
	labourCodes   = uniqueIndex{name: "labours_code"}
)

type labourStore struct{ tx *Tx }

// Labours returns the store of labour operations of this unit of work.
func (tx *Tx) Labours() catalog.LabourStore { return labourStore{tx} }

// Get implements catalog.LabourStore.Get (see there for the error kinds).
func (s labourStore) Get(ctx context.Context, id crm.ID) (catalog.Labour, error) {
	return labourRecords.get(ctx, s.tx, id)
}

// Create implements catalog.LabourStore.Create (see there for the error kinds).
func (s labourStore) Create(ctx context.Context, item *catalog.Labour) error {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	if err := item.Invariants(); err != nil {
		return err
	}
	if !s.tx.writable {
		return errReadOnly
	}
	if !labourCodes.free(s.tx, d, item.Code, crm.ID{}) {
		return crm.DuplicateField("memory.labours.Create", "code")
	}
	if err := labourRecords.create(ctx, s.tx, item); err != nil {
		return err
	}
	return labourCodes.move(s.tx, d, "", item.Code, item.ID)
}

// Update implements catalog.LabourStore.Update (see there for the error kinds).
func (s labourStore) Update(ctx context.Context, item *catalog.Labour) error {
	const op = "memory.labours.Update"
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	old, ok := labourRecords.table(s.tx).get(item.ID)
	if !ok || old.DealerID != d {
		return crm.NotFound(op, "labour operation %s not found", item.ID)
	}
	if old.Version != item.Version {
		return crm.Stale(op, "labour operation %s is at version %d, not %d", item.ID, old.Version, item.Version)
	}
	if err := item.Invariants(); err != nil {
		return err
	}
	if !labourCodes.free(s.tx, d, item.Code, item.ID) {
		return crm.DuplicateField(op, "code")
	}
	if err := labourRecords.update(ctx, s.tx, item); err != nil {
		return err
	}
	return labourCodes.move(s.tx, d, old.Code, item.Code, item.ID)
}

// List implements catalog.LabourStore.List (see there for the error kinds).
func (s labourStore) List(ctx context.Context) ([]catalog.Labour, error) {
	out, err := labourRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return bytes.Compare(out[i].ID[:], out[j].ID[:]) < 0
	})
	return out, err
}

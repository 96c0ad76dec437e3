package memory

import (
	"context"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

var (
	partRecords = records[catalog.Part]{name: "parts", meta: func(p *catalog.Part) *crm.Meta { return &p.Meta },
		clone: catalog.Part.Clone}
	partNumbers = uniqueIndex{name: "parts_number"}
)

type partStore struct{ tx *Tx }

// Parts returns the spare-part store of this unit of work.
func (tx *Tx) Parts() catalog.PartStore { return partStore{tx} }

// Get implements catalog.PartStore.Get (see there for the error kinds).
func (s partStore) Get(ctx context.Context, id crm.ID) (catalog.Part, error) {
	return partRecords.get(ctx, s.tx, id)
}

// Create implements catalog.PartStore.Create (see there for the error kinds).
func (s partStore) Create(ctx context.Context, p *catalog.Part) error {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	if err := p.Invariants(); err != nil {
		return err
	}
	if !s.tx.writable {
		return errReadOnly
	}
	if !partNumbers.free(s.tx, d, p.Number, crm.ID{}) {
		return crm.DuplicateField("memory.parts.Create", "number")
	}
	if err := partRecords.create(ctx, s.tx, p); err != nil {
		return err
	}
	return partNumbers.move(s.tx, d, "", p.Number, p.ID)
}

// Update implements catalog.PartStore.Update (see there for the error kinds).
func (s partStore) Update(ctx context.Context, p *catalog.Part) error {
	const op = "memory.parts.Update"
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	old, ok := partRecords.table(s.tx).get(p.ID)
	if !ok || old.DealerID != d {
		return crm.NotFound(op, "part %s not found", p.ID)
	}
	if old.Version != p.Version {
		return crm.Stale(op, "part %s is at version %d, not %d", p.ID, old.Version, p.Version)
	}
	if err := p.Invariants(); err != nil {
		return err
	}
	if !partNumbers.free(s.tx, d, p.Number, p.ID) {
		return crm.DuplicateField(op, "number")
	}
	if err := partRecords.update(ctx, s.tx, p); err != nil {
		return err
	}
	return partNumbers.move(s.tx, d, old.Number, p.Number, p.ID)
}

// Search implements catalog.PartStore.Search (see there for the error kinds).
func (s partStore) Search(ctx context.Context, q catalog.PartQuery) (catalog.PartPage, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return catalog.PartPage{}, err
	}
	q, after, err := q.Prepare()
	if err != nil {
		return catalog.PartPage{}, err
	}
	top := make([]*catalog.Part, 0, q.Limit+1)
	err = partRecords.each(ctx, s.tx, func(p *catalog.Part) bool {
		if p.DealerID == d && q.Match(p) && q.After(p, after) {
			p := *p
			top = keepFirst(top, &p, q.Limit+1, q.Compare)
		}
		return true
	})
	if err != nil {
		return catalog.PartPage{}, err
	}
	var page catalog.PartPage
	if len(top) > q.Limit {
		top = top[:q.Limit]
		page.NextCursor = q.CursorAfter(top[len(top)-1])
	}
	page.Items = make([]catalog.Part, len(top))
	for i, p := range top {
		page.Items[i] = p.Clone()
	}
	return page, nil
}

package memory

import (
	"bytes"
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

var (
	serviceRecords = records[catalog.ServiceItem]{name: "services", meta: func(s *catalog.ServiceItem) *crm.Meta { return &s.Meta }}
	serviceCodes   = uniqueIndex{name: "services_code"}
)

type serviceStore struct{ tx *Tx }

// Services returns the store of services (labour operations) of this unit of work.
func (tx *Tx) Services() catalog.ServiceStore { return serviceStore{tx} }

// Get implements catalog.ServiceStore.Get (see there for the error kinds).
func (s serviceStore) Get(ctx context.Context, id crm.ID) (catalog.ServiceItem, error) {
	return serviceRecords.get(ctx, s.tx, id)
}

// Create implements catalog.ServiceStore.Create (see there for the error kinds).
func (s serviceStore) Create(ctx context.Context, item *catalog.ServiceItem) error {
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
	if !serviceCodes.free(s.tx, d, item.Code, crm.ID{}) {
		return crm.Conflict("memory.services.Create", "the dealer already has service code %s", item.Code)
	}
	if err := serviceRecords.create(ctx, s.tx, item); err != nil {
		return err
	}
	return serviceCodes.move(s.tx, d, "", item.Code, item.ID)
}

// Update implements catalog.ServiceStore.Update (see there for the error kinds).
func (s serviceStore) Update(ctx context.Context, item *catalog.ServiceItem) error {
	const op = "memory.services.Update"
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	old, ok := serviceRecords.table(s.tx).get(item.ID)
	if !ok || old.DealerID != d {
		return crm.NotFound(op, "service %s not found", item.ID)
	}
	if old.Version != item.Version {
		return crm.Stale(op, "service %s is at version %d, not %d", item.ID, old.Version, item.Version)
	}
	if err := item.Invariants(); err != nil {
		return err
	}
	if !serviceCodes.free(s.tx, d, item.Code, item.ID) {
		return crm.Conflict(op, "the dealer already has service code %s", item.Code)
	}
	if err := serviceRecords.update(ctx, s.tx, item); err != nil {
		return err
	}
	return serviceCodes.move(s.tx, d, old.Code, item.Code, item.ID)
}

// List implements catalog.ServiceStore.List (see there for the error kinds).
func (s serviceStore) List(ctx context.Context) ([]catalog.ServiceItem, error) {
	out, err := serviceRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return bytes.Compare(out[i].ID[:], out[j].ID[:]) < 0
	})
	return out, err
}

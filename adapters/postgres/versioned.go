package postgres

import (
	"context"
	"database/sql"

	"github.com/dealercrm/dealercrm/crm"
)

// updated turns the outcome of a versioned UPDATE (… WHERE id=$ AND dealer_id=$ AND version=$) into the kernel's
// answer: nil when one row changed; otherwise KindNotFound when the row is missing or another dealer's, or
// KindStaleVersion when it exists at another version.
func (t *Tx) updated(ctx context.Context, op, table string, id, dealer crm.ID, res sql.Result, err error) error {
	if err != nil {
		return mapErr(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(op, err)
	}
	if n == 1 {
		return nil
	}
	var version int64
	err = t.tx.GetContext(ctx, &version, `SELECT version FROM `+table+` WHERE id = $1 AND dealer_id = $2`, id, dealer)
	if isNoRows(err) {
		return crm.NotFound(op, "%s %s not found", table, id)
	}
	if err != nil {
		return mapErr(op, err)
	}
	return crm.Stale(op, "%s %s is at version %d", table, id, version)
}

// claim prepares the metadata of a record about to be inserted for dealer: it assigns an ID when there is none,
// fills or checks the dealer, refuses a record of another dealer, and stamps CreatedAt and UpdatedAt with the unit
// of work's time.
func (t *Tx) claim(m *crm.Meta, dealer crm.ID, op string) error {
	m.CreatedAt, m.UpdatedAt = t.now, t.now
	if m.ID == (crm.ID{}) {
		m.ID = crm.NewID()
	}
	if m.DealerID == (crm.ID{}) {
		m.DealerID = dealer
	}
	if m.DealerID != dealer {
		return crm.Forbidden(op, "record belongs to another dealer")
	}
	return nil
}

// created sets the version of a record after its INSERT: 1 when err is nil.
func created(m *crm.Meta, err error) error {
	if err == nil {
		m.Version = 1
	}
	return err
}

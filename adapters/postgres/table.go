package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// table describes how records of type V are kept in one PostgreSQL table: the adapter's own row format. Every
// such table starts with the metadata columns (id, dealer_id, version, created_at, updated_at); cols lists the
// record's own columns after them. On the descriptor rest the generic operations every record store needs —
// get, create, update with a version check, lists and a keyset page by ID — so that a new store declares its row
// once and writes SQL only for what is its own (searches, extra unique rules).
type table[V any] struct {
	name string             // the table, also the record's name in messages ("sales_stages")
	cols []string           // the record's own columns, in the order of args and scan
	meta func(*V) *crm.Meta // the record's metadata
	// args returns the values of cols for v (record → row).
	args func(v *V) []any
	// scan returns the scan destinations of cols for v, and a function that finishes v once they are filled
	// (row → record: parse enums, join amount and currency); finish may be nil.
	scan func(v *V) (dest []any, finish func())
}

// metaCols are the leading columns of every record table.
var metaCols = []string{"id", "dealer_id", "version", "created_at", "updated_at"}

// columns returns the select list.
func (tb table[V]) columns() string {
	return strings.Join(append(append([]string(nil), metaCols...), tb.cols...), ", ")
}

func (tb table[V]) op(verb string) string { return "postgres." + tb.name + "." + verb }

// scanRow reads one row into a record.
func (tb table[V]) scanRow(row interface{ Scan(...any) error }) (V, error) {
	var v V
	m := tb.meta(&v)
	dest, finish := tb.scan(&v)
	err := row.Scan(append([]any{&m.ID, &m.DealerID, &m.Version, &m.CreatedAt, &m.UpdatedAt}, dest...)...)
	if err != nil {
		return v, err
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	if finish != nil {
		finish()
	}
	return v, nil
}

// get returns the context's dealer's record id, locked in a read-write unit of work; KindNotFound when missing or
// another dealer's.
func (tb table[V]) get(ctx context.Context, t *Tx, id crm.ID) (V, error) {
	var zero V
	d, err := dealer(ctx)
	if err != nil {
		return zero, err
	}
	v, err := tb.scanRow(t.tx.QueryRowContext(ctx, `SELECT `+tb.columns()+` FROM `+tb.name+
		` WHERE id = $1 AND dealer_id = $2`+t.lock(), id, d))
	if isNoRows(err) {
		return zero, crm.NotFound(tb.op("Get"), "%s %s not found", tb.name, id)
	}
	return v, mapErr(tb.op("Get"), err)
}

// create inserts v for the context's dealer: it gets an ID when it has none, version 1 and the unit of work's
// time. A unique violation is KindConflict; another dealer's record is KindForbidden.
func (tb table[V]) create(ctx context.Context, t *Tx, v *V) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	m := tb.meta(v)
	if err := t.claim(m, d, tb.op("Create")); err != nil {
		return err
	}
	n := len(metaCols) + len(tb.cols)
	marks := make([]string, n)
	for i := range marks {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	args := append([]any{m.ID, m.DealerID, 1, m.CreatedAt, m.UpdatedAt}, tb.args(v)...)
	return t.write(ctx, tb.name, `INSERT INTO `+tb.name+` (`+tb.columns()+`) VALUES (`+strings.Join(marks, ", ")+`)`, args,
		func(_ sql.Result, err error) error { return created(m, mapErr(tb.op("Create"), err)) })
}

// update writes v if its version is the stored one, bumps the version and stamps UpdatedAt with the unit of
// work's time: KindStaleVersion for another version, KindNotFound when missing or another dealer's.
func (tb table[V]) update(ctx context.Context, t *Tx, v *V) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	m := tb.meta(v)
	sets := make([]string, len(tb.cols))
	for i, c := range tb.cols {
		sets[i] = fmt.Sprintf("%s = $%d", c, i+5)
	}
	args := append([]any{m.ID, d, m.Version, t.now}, tb.args(v)...)
	return t.write(ctx, tb.name, `UPDATE `+tb.name+` SET version = version + 1, updated_at = $4, `+
		strings.Join(sets, ", ")+` WHERE id = $1 AND dealer_id = $2 AND version = $3`, args, func(res sql.Result, err error) error {
		if err := t.updated(ctx, tb.op("Update"), tb.name, m.ID, d, res, err); err != nil {
			return err
		}
		m.Version++
		m.UpdatedAt = t.now
		return nil
	})
}

// list returns the context's dealer's records matching where (an SQL condition over the columns with
// placeholders from $2; "" for all) in order (an ORDER BY list, e.g. "sort_order, id").
func (tb table[V]) list(ctx context.Context, t *Tx, where, order string, args ...any) ([]V, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	if where != "" {
		where = " AND (" + where + ")"
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+tb.columns()+` FROM `+tb.name+` WHERE dealer_id = $1`+where+
		` ORDER BY `+order, append([]any{d}, args...)...)
	return collectRows(rows, err, tb.op("List"), tb.scanRow)
}

// page returns up to limit of the context's dealer's records with IDs after after (the zero ID: from the start),
// in ID order: the keyset page of a plain list of records.
func (tb table[V]) page(ctx context.Context, t *Tx, after crm.ID, limit int) ([]V, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+tb.columns()+` FROM `+tb.name+` WHERE dealer_id = $1 AND id > $2
		ORDER BY id LIMIT $3`, d, after, limit)
	return collectRows(rows, err, tb.op("List"), tb.scanRow)
}

// newestPage returns the page pr asks for of the context's dealer's records matching where (as list's), newest
// first: `(created_at, id) < (cursor)` ordered by `created_at DESC, id DESC`, limit+1 rows (an index on
// (dealer_id, created_at DESC, id DESC) serves it). Its cursors are list's; op names a bad cursor's error.
func (tb table[V]) newestPage(ctx context.Context, t *Tx, op string, list crm.List, pr crm.PageRequest, where string, args ...any) (crm.Page[V], error) {
	pos, err := pr.Position(op, list)
	if err != nil {
		return crm.Page[V]{}, err
	}
	d, err := dealer(ctx)
	if err != nil {
		return crm.Page[V]{}, err
	}
	limit := crm.PageLimit(pr.Limit)
	conds, all := "dealer_id = $1", append([]any{d}, args...)
	if where != "" {
		conds += " AND (" + where + ")"
	}
	if pos != nil {
		all = append(all, pos.At, pos.ID)
		conds += fmt.Sprintf(" AND (created_at, id) < ($%d, $%d)", len(all)-1, len(all))
	}
	all = append(all, limit+1)
	rows, err := t.tx.QueryContext(ctx, `SELECT `+tb.columns()+` FROM `+tb.name+` WHERE `+conds+
		fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT $%d`, len(all)), all...)
	items, err := collectRows(rows, err, tb.op("Page"), tb.scanRow)
	if err != nil {
		return crm.Page[V]{}, err
	}
	return crm.PageFrom(items, limit, list, func(v *V) crm.Keyset {
		m := tb.meta(v)
		return crm.Keyset{At: m.CreatedAt, ID: m.ID}
	}), nil
}

// keysetAfter adds to conds (an SQL condition) and args the condition of the rows after pos in the order (key,
// id) ascending — key a column or expression compared with the position's time as keyArg gives it (nil: the time
// itself) — and returns the LIMIT placeholder's argument list: the keyset page of crm.PageRequest read forwards.
func keysetAfter(conds string, args []any, key string, pos *crm.Keyset, keyArg func(time.Time) any) (string, []any) {
	if pos == nil {
		return conds, args
	}
	var at any = pos.At
	if keyArg != nil {
		at = keyArg(pos.At)
	}
	args = append(args, at, pos.ID)
	return conds + fmt.Sprintf(" AND (%s, id) > ($%d, $%d)", key, len(args)-1, len(args)), args
}

// timePage returns the page pr asks for of the context's dealer's records matching where (as list's), ascending
// by key (a column holding the time keyOf gives, as keyArg writes it; nil: a timestamptz), then id: `(key, id) >
// (cursor)` ordered by `key, id`, limit+1 rows (an index on (dealer_id, key, id) serves it). Its cursors are
// list's; op names a bad cursor's error.
func (tb table[V]) timePage(ctx context.Context, t *Tx, op string, list crm.List, pr crm.PageRequest, key string,
	keyOf func(*V) time.Time, keyArg func(time.Time) any, where string, args ...any) (crm.Page[V], error) {
	pos, err := pr.Position(op, list)
	if err != nil {
		return crm.Page[V]{}, err
	}
	d, err := dealer(ctx)
	if err != nil {
		return crm.Page[V]{}, err
	}
	limit := crm.PageLimit(pr.Limit)
	conds, all := "dealer_id = $1", append([]any{d}, args...)
	if where != "" {
		conds += " AND (" + where + ")"
	}
	conds, all = keysetAfter(conds, all, key, pos, keyArg)
	all = append(all, limit+1)
	rows, err := t.tx.QueryContext(ctx, `SELECT `+tb.columns()+` FROM `+tb.name+` WHERE `+conds+
		fmt.Sprintf(` ORDER BY %s, id LIMIT $%d`, key, len(all)), all...)
	items, err := collectRows(rows, err, tb.op("Page"), tb.scanRow)
	if err != nil {
		return crm.Page[V]{}, err
	}
	return crm.PageFrom(items, limit, list, func(v *V) crm.Keyset { return crm.Keyset{At: keyOf(v), ID: tb.meta(v).ID} }), nil
}

package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/dealercrm/dealercrm/crm"
)

// heldWrite is a write statement held by a batch (Tx.Batch): its text, its arguments, the table it writes and
// what the store does with its result.
type heldWrite struct {
	query   string
	args    []any
	table   string
	finish  func(res sql.Result, err error) error
	anyRows bool // writeRows: any number of rows is right
}

// write sends an INSERT or UPDATE (without RETURNING) of table that affects one row, and passes its result to
// finish, whose error the store returns (finish sets what the store sets after the write: the version, …).
// Inside a batch it holds the statement instead and calls finish at once as if the row were written, so the
// record's version and stamps are set when the write is held (a caller may copy the record before the batch is
// sent); when the batch is sent, a part that failed or wrote no row is passed to finish again, for its error.
func (t *Tx) write(ctx context.Context, table, query string, args []any, finish func(res sql.Result, err error) error) error {
	t.contract = nil
	if table == "sales" || table == "leads" { // a sale's write moves its lead's counts (migration 073's triggers)
		t.counts = nil
	}
	if t.held != nil {
		*t.held = append(*t.held, heldWrite{query: query, args: args, table: table, finish: finish})
		return finish(rowsAffected(1), nil)
	}
	res, err := t.tx.ExecContext(ctx, query, args...)
	return finish(res, err)
}

// writeRows is write for a statement that may affect any number of rows (an upsert or delete of several): finish
// sees the result only on an error, the count is not checked.
func (t *Tx) writeRows(ctx context.Context, table, query string, args []any, finish func(res sql.Result, err error) error) error {
	t.contract = nil
	if t.held != nil {
		*t.held = append(*t.held, heldWrite{query: query, args: args, table: table, finish: finish, anyRows: true})
		return nil
	}
	res, err := t.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return finish(res, err)
	}
	return nil
}

// Batch implements crm.Batcher: the writes of fn (those the stores send through Tx.write: test drives, vehicles,
// outbox messages, …; the others go out at once) are sent as one statement when fn returns — each a
// data-modifying WITH query of it, the outer SELECT counting each one's rows — so one round trip for all.
// PostgreSQL runs every part on one snapshot, so the parts must be independent (see crm.Batcher). A failed
// statement is reported by the store whose table the error names, as its own write would have reported it.
func (t *Tx) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	if t.held != nil { // nested: the outer batch sends them
		return fn(ctx)
	}
	held := []heldWrite{}
	t.held = &held
	err := fn(ctx)
	t.held = nil
	if err != nil || len(held) == 0 {
		return err
	}
	if len(held) == 1 {
		res, err := t.tx.ExecContext(ctx, held[0].query, held[0].args...)
		if err != nil {
			return held[0].finish(nil, err)
		}
		if n, err := res.RowsAffected(); !held[0].anyRows && (err != nil || n != 1) {
			return held[0].finish(res, err)
		}
		return nil
	}
	query, args := batchSQL(held)
	counts := make([]int64, len(held))
	dest := make([]any, len(held))
	for i := range counts {
		dest[i] = &counts[i]
	}
	if err := t.tx.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
		table := driverField(err, 't')
		for _, h := range held {
			if h.table == table {
				return h.finish(nil, err)
			}
		}
		return mapErr("postgres.Batch", err)
	}
	for i, h := range held {
		if counts[i] == 1 || h.anyRows {
			continue
		}
		if err := h.finish(rowsAffected(counts[i]), nil); err != nil {
			return err
		}
		return crm.E(crm.KindInternal, "postgres.Batch", fmt.Errorf("a write of %s changed %d rows", h.table, counts[i]))
	}
	return nil
}

// placeholder matches a parameter reference of a statement ($1 …).
var placeholder = regexp.MustCompile(`\$(\d+)`)

// renumberedTexts keeps each statement renumbered by an offset (renumbered): a store's statement texts are few.
var renumberedTexts sync.Map // renumberKey → string

type renumberKey struct {
	query string
	off   int
}

// renumbered returns query with its parameters $n renumbered $(n+off).
func renumbered(query string, off int) string {
	if off == 0 {
		return query
	}
	k := renumberKey{query, off}
	if q, ok := renumberedTexts.Load(k); ok {
		return q.(string)
	}
	q := placeholder.ReplaceAllStringFunc(query, func(p string) string {
		n, _ := strconv.Atoi(p[1:])
		return "$" + strconv.Itoa(n+off)
	})
	renumberedTexts.Store(k, q)
	return q
}

// batchSQL joins held writes into one statement: WITH w0 AS (<write> RETURNING 1), … SELECT (SELECT count(*) FROM
// w0), …, each write's parameters renumbered after those of the writes before it.
func batchSQL(held []heldWrite) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("WITH ")
	for i, h := range held {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "w%d AS (", i)
		b.WriteString(renumbered(h.query, len(args)))
		b.WriteString(" RETURNING 1)")
		args = append(args, h.args...)
	}
	b.WriteString(" SELECT ")
	for i := range held {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(SELECT count(*) FROM w%d)", i)
	}
	return b.String(), args
}

// rowsAffected is the sql.Result of one part of a batch.
type rowsAffected int64

func (r rowsAffected) LastInsertId() (int64, error) {
	return 0, errors.New("postgres: no LastInsertId")
}
func (r rowsAffected) RowsAffected() (int64, error) { return int64(r), nil }

var _ crm.Batcher = (*Tx)(nil)

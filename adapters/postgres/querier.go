package postgres

import (
	"context"
	"database/sql"
	"errors"
	"hash/maphash"
	"strings"

	"github.com/dealercrm/dealercrm/internal/boundedmap"
	"github.com/jmoiron/sqlx"
)

// querier is what stores send statements through: a transaction (*sqlx.Tx), or, in a read-only unit of work, a
// lazyRead.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error)
	QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row
}

var (
	_ querier = (*sqlx.Tx)(nil)
	_ querier = (*lazyRead)(nil)
)

// lazyRead is one run of a read-only unit of work (DB.view), which begins its transaction only when it needs one.
// Unless snapshot is set, the first statement, when it is a SELECT that the unit's call site (site, readKey) has
// not been seen to follow with another (reads), runs on the pool outside any transaction, so a read of one
// statement costs no BEGIN and COMMIT; a later statement (or a first one that is not a SELECT, or one known to be
// followed) begins a read-only repeatable-read transaction, which every later statement shares. A first statement
// sent on the pool precedes that snapshot: a lazyRead that sent one and then another is split, and DB.view
// records its key (the call site with the first statement's text) and runs the unit again with snapshot set.
type lazyRead struct {
	db       *sqlx.DB
	tx       *sqlx.Tx
	reads    *readShapes
	site     uint64 // the unit's call site (readKey)
	key      uint64 // the site with the first statement's text (shapeKey), once that statement is sent
	snapshot bool   // begin at the first statement: the unit is known to send more than one
	sent     bool   // the first statement went to the pool
	split    bool   // a statement followed it: the unit's reads were not one snapshot
	beginErr error
}

// to returns what query runs through: the pool for a first SELECT not known to be followed (unless snapshot),
// the transaction (begun now if need be) otherwise; on a failed BEGIN it returns nil and keeps the error.
func (l *lazyRead) to(ctx context.Context, query string) querier {
	if l.tx == nil && !l.sent && !l.snapshot {
		if is, id := selectText(query); is {
			l.key = shapeKey(l.site, id)
			if !l.reads.isMulti(l.key) {
				l.sent = true
				return l.db
			}
		}
	}
	if l.tx == nil {
		l.split = l.split || l.sent
		if l.beginErr != nil {
			return nil
		}
		l.tx, l.beginErr = l.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if l.beginErr != nil {
			l.tx = nil
			return nil
		}
	}
	return l.tx
}

// finish ends the unit: it commits a transaction begun (rolls it back when fn failed) and returns fn's error, or
// the failed BEGIN's, or the COMMIT's.
func (l *lazyRead) finish(err error) error {
	if l.beginErr != nil {
		return mapErr("postgres.Begin", l.beginErr)
	}
	if l.tx == nil {
		return err
	}
	if err != nil {
		_ = l.tx.Rollback()
		return err
	}
	if err := l.tx.Commit(); err != nil {
		return mapErr("postgres.Commit", err)
	}
	return nil
}

// selectText reports whether query is a plain SELECT (no WITH, which may write; no locking clause), and returns
// a number that stands for the text (its readShapes key with the unit's call site: a hash of the text, the same
// for the text as long as the process runs). The answers for each text are kept (selectTexts): the stores' texts
// are a few hundred constants, and looking one up costs a hash of the text where scanning it for " for " cost 4 %
// of a GET's CPU (the vehicle's text is 1.5 kB).
func selectText(query string) (is bool, id uint64) {
	if t, ok := selectTexts.Get(query); ok {
		return t.is, t.id
	}
	q := strings.TrimSpace(query)
	t := selectTextInfo{
		is: len(q) > 6 && strings.EqualFold(q[:6], "SELECT") && !containsFold(q, " for "),
		id: maphash.String(textSeed, query),
	}
	selectTexts.Put(query, t)
	return t.is, t.id
}

// selectTextInfo is what selectTexts keeps of a text.
type selectTextInfo struct {
	is bool
	id uint64
}

// selectTexts keeps selectText's answer by statement text, at most maxSelectTexts of them: the texts built with
// rare combinations of filters make room (boundedmap) instead of being scanned each time once it is full. A
// process-wide cache of facts about texts, the same for every database; textSeed seeds the texts' numbers.
var (
	selectTexts = boundedmap.NewSync[string, selectTextInfo](maxSelectTexts, nil)
	textSeed    = maphash.MakeSeed()
)

// maxSelectTexts bounds selectTexts.
const maxSelectTexts = 2048

// containsFold reports whether s contains the lower-case ASCII word w in any case, without allocating (the
// upper-cased copy of every read's text was 5 % of a GET's CPU).
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// errNoBegin stands for a statement not sent because its transaction could not begin (lazyRead.finish returns
// the BEGIN's own error).
var errNoBegin = errors.New("postgres: the read's transaction did not begin")

// refused is a context that is already cancelled: statements given it fail at once without touching the network,
// which is how the methods returning a row report errNoBegin.
var refused = func() context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errNoBegin)
	return ctx
}()

func (l *lazyRead) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := l.to(ctx, query)
	if q == nil {
		return nil, errNoBegin
	}
	return q.ExecContext(ctx, query, args...)
}

func (l *lazyRead) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	q := l.to(ctx, query)
	if q == nil {
		return errNoBegin
	}
	return q.GetContext(ctx, dest, query, args...)
}

func (l *lazyRead) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	q := l.to(ctx, query)
	if q == nil {
		return errNoBegin
	}
	return q.SelectContext(ctx, dest, query, args...)
}

func (l *lazyRead) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := l.to(ctx, query)
	if q == nil {
		return nil, errNoBegin
	}
	return q.QueryContext(ctx, query, args...)
}

func (l *lazyRead) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	q := l.to(ctx, query)
	if q == nil {
		return l.db.QueryRowContext(refused, query, args...)
	}
	return q.QueryRowContext(ctx, query, args...)
}

func (l *lazyRead) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	q := l.to(ctx, query)
	if q == nil {
		return nil, errNoBegin
	}
	return q.QueryxContext(ctx, query, args...)
}

func (l *lazyRead) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	q := l.to(ctx, query)
	if q == nil {
		return l.db.QueryRowxContext(refused, query, args...)
	}
	return q.QueryRowxContext(ctx, query, args...)
}

package postgres

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"

	"github.com/dealercrm/dealercrm/crm"
)

// dirCache keeps, per dealer, the sales stages, the lead stages and the stage playbooks as last read together with the dealer's
// directory version (the directory_versions row, migration 080). A trigger gives the version a fresh sequence
// value on every change of a dealer's sales stages, need types or lead stages, by any process: a version names one
// content of the directories, and a cached list is used only when a statement the unit of work sends anyway (the
// sale's, the lead's or the need type's read, see dirVersionCol) returned the same version. So a change made by
// another process is seen at the next unit of work that reads one of those, and the list costs no round trip
// while nothing changes.
//
// Each DB has its own cache; it holds one entry per dealer and directory read.
type dirCache struct {
	stages     sync.Map // crm.ID (dealer) → dirEntry[sales.Stage]
	leadStages sync.Map // crm.ID (dealer) → dirEntry[leads.LeadStage]
	playbooks  sync.Map // crm.ID (dealer) → dirEntry[playbooks.Playbook], every stage's (migration 081)
	makes      sync.Map // crm.ID (dealer) → dirEntry[catalog.Make] (migration 083)
	policies   sync.Map // crm.ID (dealer) → dirEntry[leads.ResponsePolicy], none or one (migration 091)
}

type dirEntry[T any] struct {
	version int64
	rows    []T
}

// dirVersionCol is the select-list item that returns the dealer's directory version beside a record read; the
// dealer is the parameter numbered by arg ("$2").
func dirVersionCol(arg string) string {
	return `, (SELECT version FROM directory_versions WHERE dealer_id = ` + arg + `)`
}

// withVersion scans a row of a record's columns followed by dirVersionCol, noting the version in t.
type withVersion struct {
	row    interface{ Scan(...any) error }
	t      *Tx
	dealer crm.ID
}

func (w withVersion) Scan(dest ...any) error {
	var v sql.NullInt64
	if err := w.row.Scan(append(dest, &v)...); err != nil {
		return err
	}
	w.t.noteDirVersion(w.dealer, v)
	return nil
}

// noteDirVersion records the directory version of dealer a statement of this unit of work returned.
func (t *Tx) noteDirVersion(dealer crm.ID, v sql.NullInt64) {
	if !v.Valid {
		t.dirDealer = crm.ID{}
		return
	}
	t.dirDealer, t.dirVersion = dealer, v.Int64
}

// dirChanged forgets the version noted: this unit of work has changed a directory since.
func (t *Tx) dirChanged() { t.dirDealer = crm.ID{} }

// cachedDir returns a dealer's directory from m when this unit of work has seen the version it was read at.
func cachedDir[T any](t *Tx, m *sync.Map, dealer crm.ID) ([]T, bool) {
	if t.dirs == nil || t.dirDealer != dealer || dealer == (crm.ID{}) {
		return nil, false
	}
	e, ok := m.Load(dealer)
	if !ok || e.(dirEntry[T]).version != t.dirVersion {
		return nil, false
	}
	return slices.Clone(e.(dirEntry[T]).rows), true
}

// keepDir caches a dealer's directory rows read at version v in m.
func keepDir[T any](t *Tx, m *sync.Map, dealer crm.ID, v sql.NullInt64, rows []T) {
	if t.dirs == nil || !v.Valid {
		return
	}
	m.Store(dealer, dirEntry[T]{version: v.Int64, rows: slices.Clone(rows)})
	t.dirDealer, t.dirVersion = dealer, v.Int64
}

// scanInto scans a row whose last column goes to extra.
type scanInto struct {
	row   interface{ Scan(...any) error }
	extra any
}

func (s scanInto) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }

func (t *Tx) dirsStages() *sync.Map {
	if t.dirs == nil {
		return nil
	}
	return &t.dirs.stages
}

func (t *Tx) dirsLeadStages() *sync.Map {
	if t.dirs == nil {
		return nil
	}
	return &t.dirs.leadStages
}

func (t *Tx) dirsPlaybooks() *sync.Map {
	if t.dirs == nil {
		return nil
	}
	return &t.dirs.playbooks
}

func (t *Tx) dirsPolicies() *sync.Map {
	if t.dirs == nil {
		return nil
	}
	return &t.dirs.policies
}

func (t *Tx) dirsMakes() *sync.Map {
	if t.dirs == nil {
		return nil
	}
	return &t.dirs.makes
}

// listCached returns dealer d's rows of the directory table tb from m when this unit of work has seen the version
// they were cached at; otherwise it reads them, in order (an ORDER BY list over the table aliased p), with the
// version — a LEFT JOIN from directory_versions, so that a dealer without rows caches none too — and caches
// them. clone copies rows deeply enough that a caller changing what it got changes nothing cached.
func listCached[V any](ctx context.Context, t *Tx, d crm.ID, m *sync.Map, tb table[V], order string, clone func([]V) []V) ([]V, error) {
	if m != nil {
		if all, ok := cachedDir[V](t, m, d); ok {
			return clone(all), nil
		}
	}
	cols := "p." + strings.Join(append(append([]string(nil), metaCols...), tb.cols...), ", p.")
	rows, err := t.tx.QueryContext(ctx, `SELECT `+cols+`, dv.version FROM directory_versions dv
		LEFT JOIN `+tb.name+` p ON p.dealer_id = dv.dealer_id WHERE dv.dealer_id = $1 ORDER BY `+order, d)
	if err != nil {
		return nil, mapErr(tb.op("List"), err)
	}
	defer rows.Close()
	var out []V
	var v sql.NullInt64
	versioned := false
	n := len(metaCols) + len(tb.cols) + 1
	for rows.Next() {
		versioned = true
		r := window{rows, 0, n}
		if ok, err := r.present(0); err != nil {
			return nil, mapErr(tb.op("List"), err)
		} else if !ok { // the dealer has none
			if err := (window{rows, n - 1, n}).Scan(&v); err != nil {
				return nil, mapErr(tb.op("List"), err)
			}
			continue
		}
		row, err := tb.scanRow(scanInto{rows, &v})
		if err != nil {
			return nil, mapErr(tb.op("List"), err)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(tb.op("List"), err)
	}
	if versioned && m != nil {
		keepDir(t, m, d, v, clone(out))
	}
	return out, nil
}

package crm

import "time"

// Page sizes of every list: DefaultPageLimit when none is asked for, at most MaxPageLimit.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 500
)

// PageLimit returns the page size for a requested limit: DefaultPageLimit for 0 (or less), at most MaxPageLimit.
func PageLimit(limit int) int {
	switch {
	case limit <= 0:
		return DefaultPageLimit
	case limit > MaxPageLimit:
		return MaxPageLimit
	}
	return limit
}

// PageRequest asks a list store for one page: at most Limit records (PageLimit: 0 is DefaultPageLimit) after the
// position Cursor names (the previous page's NextCursor; "" for the first page). Every store that pages takes it,
// beside its own filter, so that a list is paged one way: by keyset in the store (a PostgreSQL adapter reads
// `WHERE (key, id) > ($key, $id) ORDER BY key, id LIMIT n+1` over an index; the memory adapter walks its
// per-dealer ordered index from the position), never by reading the whole list.
type PageRequest struct {
	Limit  int
	Cursor string
}

// Page is one page of a list, in the list's order; NextCursor is "" on the last page.
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// Keyset is a position in a list ordered by a time, then by ID (in either direction): where the page after a
// record starts. Its cursor is its List's TimeCursor.
type Keyset struct {
	At time.Time
	ID ID
}

// Position decodes r's cursor as one of list l (List.DecodeTime): nil for the first page, a KindInvalid error for
// op naming "cursor" when l did not make it.
func (r PageRequest) Position(op string, l List) (*Keyset, error) {
	if r.Cursor == "" {
		return nil, nil
	}
	at, id, err := l.DecodeTime(op, r.Cursor)
	if err != nil {
		return nil, err
	}
	return &Keyset{At: at, ID: id}, nil
}

// PageFrom makes the page of list l from the rows a store read in the list's order from the position, up to
// limit+1 of them (limit as PageLimit gives it): the first limit rows, and when there were more l's cursor after
// the last one kept.
func PageFrom[T any](rows []T, limit int, l List, key func(*T) Keyset) Page[T] {
	if rows == nil {
		rows = []T{}
	}
	if len(rows) <= limit {
		return Page[T]{Items: rows}
	}
	rows = rows[:limit]
	k := key(&rows[limit-1])
	return Page[T]{Items: rows, NextCursor: l.TimeCursor(k.At, k.ID)}
}

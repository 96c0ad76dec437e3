package crm

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

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

// EncodeTimeCursor makes the opaque cursor of the page that follows a record at (at, id), for lists ordered by a
// timestamp and then the ID. Adapters use it so that cursors are alike everywhere.
func EncodeTimeCursor(at time.Time, id ID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UTC().UnixNano(), 10) + "_" + id.String()))
}

// DecodeTimeCursor reads a cursor made by EncodeTimeCursor; "" gives zero values (the first page). It returns a
// KindInvalid error for op naming "cursor" otherwise.
func DecodeTimeCursor(op, s string) (time.Time, ID, error) {
	if s == "" {
		return time.Time{}, ID{}, nil
	}
	bad := Invalid(op, FieldError{Field: "cursor", Message: "is not a cursor of this list"})
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, ID{}, bad
	}
	ns, idText, ok := strings.Cut(string(b), "_")
	if !ok {
		return time.Time{}, ID{}, bad
	}
	n, err := strconv.ParseInt(ns, 10, 64)
	if err != nil {
		return time.Time{}, ID{}, bad
	}
	id, err := uuid.Parse(idText)
	if err != nil {
		return time.Time{}, ID{}, bad
	}
	return time.Unix(0, n).UTC(), id, nil
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
// record starts. Its cursor is EncodeTimeCursor's.
type Keyset struct {
	At time.Time
	ID ID
}

// Position decodes r's cursor: nil for the first page, a KindInvalid error for op naming "cursor" when it is not
// a cursor of a list ordered by a time.
func (r PageRequest) Position(op string) (*Keyset, error) {
	if r.Cursor == "" {
		return nil, nil
	}
	at, id, err := DecodeTimeCursor(op, r.Cursor)
	if err != nil {
		return nil, err
	}
	return &Keyset{At: at, ID: id}, nil
}

// PageFrom makes the page of a store that read rows in the list's order from the position, up to limit+1 of them
// (limit as PageLimit gives it): the first limit rows, and when there were more the cursor after the last one kept.
func PageFrom[T any](rows []T, limit int, key func(*T) Keyset) Page[T] {
	if rows == nil {
		rows = []T{}
	}
	if len(rows) <= limit {
		return Page[T]{Items: rows}
	}
	rows = rows[:limit]
	k := key(&rows[limit-1])
	return Page[T]{Items: rows, NextCursor: EncodeTimeCursor(k.At, k.ID)}
}

package postgres

import (
	"database/sql"
	"errors"
	"sync/atomic"
	"time"
)

// capturedRow is the current row of a joined read converted once: database/sql converts every column of a row
// at each Scan, so a row of many records scanned record by record (window) converted it once per record. Capture
// reads the driver's values of every column in one Scan; each record is then converted from its own columns
// (part), and a part with a destination the fast conversion does not know is scanned from the row as before, so
// it gets exactly what database/sql gives. The values are the driver's (a []byte is its buffer): they are valid
// until the next call of rows.Next, and every part must be read before it.
type capturedRow struct {
	rows *sql.Rows
	vals []any // the driver's value of each column
}

// captured is a scan destination that keeps the driver's value as it is.
type captured struct{ v *any }

func (c captured) Scan(src any) error { *c.v = src; return nil }

// capture reads the driver's values of the current row of rows, of total columns.
func capture(rows *sql.Rows, total int) (capturedRow, error) {
	r := capturedRow{rows: rows, vals: make([]any, total)}
	dest := make([]any, total)
	for i := range dest {
		dest[i] = captured{&r.vals[i]}
	}
	return r, rows.Scan(dest...)
}

// present reports whether column i (a LEFT JOIN's id) is not NULL.
func (r capturedRow) present(i int) bool { return r.vals[i] != nil }

// part returns the columns [from, …) of the row as a row of their own for a record's scan function.
func (r capturedRow) part(from int) capturedPart { return capturedPart{r, from} }

// capturedPart is the columns of one record of a captured row, from column from on.
type capturedPart struct {
	r    capturedRow
	from int
}

// Scan converts the part's columns into dest: the common destinations here, the others (and a NULL into a
// destination that cannot hold it, for database/sql's error) through database/sql's own scan of the row.
func (p capturedPart) Scan(dest ...any) error {
	vals := p.r.vals[p.from:]
	if len(dest) > len(vals) {
		return errors.New("postgres: a record's columns past the end of the row")
	}
	for i, d := range dest {
		if !assign(d, vals[i]) {
			capturedFallbacks.Add(1)
			return window{p.r.rows, p.from, len(p.r.vals)}.Scan(dest...)
		}
	}
	return nil
}

// capturedFallbacks counts the parts scanned through database/sql because assign did not know a destination (a
// test holds that the booking's read has none on lib/pq).
var capturedFallbacks atomic.Int64

// assign converts src, a value of lib/pq's or pgx's database/sql driver, into dest as database/sql's Scan would
// for the destinations it knows, and reports whether it did; false leaves dest for database/sql. A Scanner's
// error is not known here either: false, so that database/sql's scan reports it.
func assign(dest, src any) bool {
	switch d := dest.(type) {
	case sql.Scanner:
		return d.Scan(src) == nil
	case *string:
		switch s := src.(type) {
		case string:
			*d = s
		case []byte:
			*d = string(s)
		default:
			return false
		}
	case *int64:
		n, ok := src.(int64)
		*d = n
		return ok
	case *int:
		n, ok := src.(int64)
		*d = int(n)
		return ok
	case *bool:
		b, ok := src.(bool)
		*d = b
		return ok
	case *time.Time:
		t, ok := src.(time.Time)
		*d = t
		return ok
	case **time.Time:
		switch t := src.(type) {
		case nil:
			*d = nil
		case time.Time:
			*d = &t
		default:
			return false
		}
	default:
		return false
	}
	return true
}

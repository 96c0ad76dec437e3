package postgres

import (
	"strconv"

	"github.com/jmoiron/sqlx"
)

// collect scans every row with scan, closing rows; err is the error of the query that made rows.
func collect[T any](rows *sqlx.Rows, err error, op string, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	if err != nil {
		return nil, mapErr(op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, mapErr(op, err)
		}
		out = append(out, v)
	}
	return out, mapErr(op, rows.Err())
}

// nonNil returns s, or an empty slice for nil (so a text[] column gets '{}' rather than NULL).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// params collects the arguments of a query built piece by piece; add appends one and returns its placeholder.
type params []any

// add appends v and returns its placeholder ($1, $2, ...).
func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

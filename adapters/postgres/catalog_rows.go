package postgres

import "database/sql"

// collectRows scans every row of a plain database/sql result with scan, closing rows; err is the error of the
// query that made rows. (collect does the same for sqlx rows.)
func collectRows[T any](rows *sql.Rows, err error, op string, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
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

package postgres

import (
	"net/url"
	"strings"
)

// WithBinaryParameters returns dsn with lib/pq's binary_parameters=yes added, unless dsn already sets
// binary_parameters (to either value): with it, lib/pq sends a statement with parameters in one round trip
// instead of two. dsn is a URL (postgres://…) or lib/pq's key=value form.
func WithBinaryParameters(dsn string) string {
	if strings.Contains(dsn, "binary_parameters") {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("binary_parameters", "yes")
		u.RawQuery = q.Encode()
		return u.String()
	}
	if strings.TrimSpace(dsn) == "" {
		return "binary_parameters=yes"
	}
	return dsn + " binary_parameters=yes"
}

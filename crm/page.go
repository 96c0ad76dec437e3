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

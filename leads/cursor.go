package leads

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
)

// PageLimit returns the page size for a requested limit: 50 for 0, at most 500.
func PageLimit(limit int) int {
	switch {
	case limit <= 0:
		return 50
	case limit > 500:
		return 500
	}
	return limit
}

// EncodeLeadCursor makes the cursor of the page that follows a lead created at createdAt with id (lead lists run
// newest first). Adapters use it so that cursors are alike everywhere.
func EncodeLeadCursor(createdAt time.Time, id crm.ID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(createdAt.UTC().UnixNano(), 10) + "_" + id.String()))
}

// DecodeLeadCursor reads a cursor made by EncodeLeadCursor; "" gives zero values (the first page). Invalid naming
// "cursor" otherwise.
func DecodeLeadCursor(s string) (time.Time, crm.ID, error) {
	if s == "" {
		return time.Time{}, crm.ID{}, nil
	}
	bad := crm.Invalid("leads.DecodeLeadCursor", crm.FieldError{Field: "cursor", Message: "is not a cursor of this list"})
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, crm.ID{}, bad
	}
	ns, idText, ok := strings.Cut(string(b), "_")
	if !ok {
		return time.Time{}, crm.ID{}, bad
	}
	n, err := strconv.ParseInt(ns, 10, 64)
	if err != nil {
		return time.Time{}, crm.ID{}, bad
	}
	id, err := uuid.Parse(idText)
	if err != nil {
		return time.Time{}, crm.ID{}, bad
	}
	return time.Unix(0, n).UTC(), id, nil
}

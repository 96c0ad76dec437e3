package leads

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// EncodeLeadCursor makes the cursor of the page that follows a lead created at createdAt with id (lead lists run
// newest first). Adapters use it so that cursors are alike everywhere.
func EncodeLeadCursor(createdAt time.Time, id crm.ID) string {
	return crm.EncodeTimeCursor(createdAt, id)
}

// DecodeLeadCursor reads a cursor made by EncodeLeadCursor; "" gives zero values (the first page). Invalid naming
// "cursor" otherwise.
func DecodeLeadCursor(s string) (time.Time, crm.ID, error) {
	return crm.DecodeTimeCursor("leads.DecodeLeadCursor", s)
}

// EncodeOverdueCursor makes the cursor of the overdue-response page that follows a lead due at dueAt with id (the
// list runs by due time, then ID, ascending).
func EncodeOverdueCursor(dueAt time.Time, id crm.ID) string {
	return crm.EncodeTimeCursor(dueAt, id)
}

// DecodeOverdueCursor reads a cursor made by EncodeOverdueCursor; "" gives zero values (the first page). Invalid
// naming "cursor" otherwise.
func DecodeOverdueCursor(s string) (time.Time, crm.ID, error) {
	return crm.DecodeTimeCursor("leads.DecodeOverdueCursor", s)
}

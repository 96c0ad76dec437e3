package leads

import "github.com/dealercrm/dealercrm/crm"

// The lists leads' stores page, each named in its cursors (crm.List): a cursor one of them made is refused by
// every other. Adapters make and read the cursors only through them, so that cursors are alike everywhere.
var (
	// LeadList is the lead list (LeadStore.List), newest first: created_at, then ID, descending.
	LeadList = crm.List{Name: "leads", Order: "created_at desc"}
	// OverdueList is the list of leads overdue for a first response (LeadStore.ListOverdueResponse), by the response's
	// due time, then ID.
	OverdueList = crm.List{Name: "leads-overdue", Order: "response_due_at asc"}
	// CalendarList is the dealer's test-drive calendar (TestDriveStore.PageBetween), by start, then ID.
	CalendarList = crm.List{Name: "test-drives", Order: "start asc"}
)

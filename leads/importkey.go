package leads

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// ImportKey records that an imported prospect became a lead: the key (the prospect's ID text, source and
// sequence) is unique per dealer.
type ImportKey struct {
	DealerID  crm.ID    `json:"dealer_id"`
	Key       string    `json:"key"`
	LeadID    crm.ID    `json:"lead_id"`
	CreatedAt time.Time `json:"created_at"`
}

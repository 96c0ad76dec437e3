package postgres

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// saleStageChangeDoc is one entry of a sale's stage history as kept in sales.history (the sale's insurance is an
// insuranceDoc).
type saleStageChangeDoc struct {
	At          time.Time `json:"at"`
	By          crm.ID    `json:"by,omitzero"`
	FromStageID crm.ID    `json:"from_stage_id,omitzero"`
	FromCode    string    `json:"from_code,omitempty"`
	ToStageID   crm.ID    `json:"to_stage_id"`
	ToCode      string    `json:"to_code"`
	Probability int       `json:"probability"`
	Reason      string    `json:"reason,omitempty"`
	Skipped     bool      `json:"skipped,omitempty"`
}

// saleHistoryDocsOf writes no history as an empty array, as stored since migration 001.
func saleHistoryDocsOf(h []sales.StageChange) []saleStageChangeDoc {
	out := make([]saleStageChangeDoc, len(h))
	for i, c := range h {
		out[i] = saleStageChangeDoc{At: c.At, By: c.By, FromStageID: c.FromStageID, FromCode: c.FromCode,
			ToStageID: c.ToStageID, ToCode: c.ToCode, Probability: c.Probability, Reason: c.Reason, Skipped: c.Skipped}
	}
	return out
}

// saleHistoryOf reads the history back; a stored empty array reads as an empty, non-nil history.
func saleHistoryOf(docs []saleStageChangeDoc) []sales.StageChange {
	if docs == nil {
		return nil
	}
	out := make([]sales.StageChange, len(docs))
	for i, c := range docs {
		out[i] = sales.StageChange{At: c.At, By: c.By, FromStageID: c.FromStageID, FromCode: c.FromCode,
			ToStageID: c.ToStageID, ToCode: c.ToCode, Probability: c.Probability, Reason: c.Reason, Skipped: c.Skipped}
	}
	return out
}

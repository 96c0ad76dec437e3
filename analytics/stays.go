package analytics

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// Stay is one stay of a sale in a stage: from the entry into the stage to the entry into another (Left zero while
// the sale is still there).
type Stay struct {
	StageID crm.ID
	Entered time.Time
	Left    time.Time
}

// StaysOf reads a sale's stays from its stage history, oldest first. Walking the entries in order: a skipped
// entry (a stage jumped over by a forward move) is ignored; an entry into the stage the sale already stays in (a
// probability change) is ignored; any other entry ends the current stay at its time and begins a stay in its
// stage. The PostgreSQL adapter keeps the same stays in a table, written by a trigger on the history.
func StaysOf(history []sales.StageChange) []Stay {
	var out []Stay
	for _, e := range history {
		if e.Skipped || (len(out) > 0 && out[len(out)-1].StageID == e.ToStageID) {
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].Left = e.At
		}
		out = append(out, Stay{StageID: e.ToStageID, Entered: e.At})
	}
	return out
}

package customers

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/crm"
)

// moveAppraisals re-points the appraisal sheets of from (the cars it offered) to to, whatever their state: a
// sheet's customer is where the car came from, not a term of its price.
func moveAppraisals(ctx context.Context, st Stores, from, to crm.ID, now time.Time) (int, error) {
	sheets, err := st.Appraisals().List(ctx, appraisal.Query{CustomerID: from})
	if err != nil {
		return 0, err
	}
	for i := range sheets {
		a := &sheets[i]
		a.CustomerID, a.UpdatedAt = to, now
		if err := st.Appraisals().Update(ctx, a); err != nil {
			return i, err
		}
	}
	return len(sheets), nil
}

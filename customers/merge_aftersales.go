package customers

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// moveAppointments makes the service appointments booked for from (of any status: the visit history too) to's.
// An appointment keeps its bay and time, so moving it cannot double-book a bay.
func moveAppointments(ctx context.Context, st Stores, from, to crm.ID, now time.Time) (int, error) {
	as, err := st.Appointments().ListByCustomer(ctx, from)
	if err != nil {
		return 0, err
	}
	for i := range as {
		a := as[i]
		a.CustomerID, a.UpdatedAt = to, now
		if err := st.Appointments().Update(ctx, &a); err != nil {
			return i, err
		}
	}
	return len(as), nil
}

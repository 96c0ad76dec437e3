package catalog

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/crm"
)

// errUnchanged tells the caller of a vehicle's unit of work that the vehicle needed no save.
var errUnchanged = errors.New("catalog: unchanged")

// expiryBatch is how many vehicles ExpireReservations looks up at a time.
const expiryBatch = 500

// ExpireReservations ends the holds whose time has run out on every reserved vehicle of the context's dealer: a
// car whose test drive ended (and that nothing else holds) is back in stock, and the reserved view no longer shows
// it. Holds end by themselves for every rule (Reserve, Sell and SetStatus ignore them), but a stored status stays
// "reserved" until something writes the car; run this periodically (the example server does, with its outbox
// relay). It returns how many vehicles changed.
//
// It reads only what it ends: the vehicles with an ended hold (VehicleStore.ListHeldPastEnd), and of each the
// ended holds and at most one active one (GetForExpiry), so that its cost follows the ended holds, not every hold
// of the cars (a demo car booked all week).
func (s *Service) ExpireReservations(ctx context.Context) (int, error) {
	changed := 0
	var after crm.ID
	for {
		now := s.clock.Now()
		var ids []crm.ID
		err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
			ids, err = st.Vehicles().ListHeldPastEnd(ctx, now, after, expiryBatch)
			return err
		})
		if err != nil {
			return changed, err
		}
		for _, id := range ids {
			err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
				now := crm.Now(ctx)
				v, err := st.Vehicles().GetForExpiry(ctx, id, now)
				if err != nil {
					return err
				}
				before := len(v.Reservations)
				v.dropExpired(now)
				if len(v.Reservations) == before {
					return errUnchanged // a booking renewed it meanwhile
				}
				return st.Vehicles().Update(ctx, &v)
			})
			switch {
			case err == nil:
				changed++
			case errors.Is(err, errUnchanged), errors.Is(err, crm.ErrNotFound):
			default:
				return changed, err
			}
		}
		if len(ids) < expiryBatch {
			return changed, nil
		}
		after = ids[len(ids)-1]
	}
}

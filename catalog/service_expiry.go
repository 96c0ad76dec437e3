package catalog

import (
	"context"
	"errors"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// errUnchanged tells changeVehicle's caller that a vehicle needed no save.
var errUnchanged = errors.New("catalog: unchanged")

// ExpireReservations ends the holds whose time has run out on every reserved vehicle of the context's dealer: a
// car whose test drive ended (and that nothing else holds) is back in stock, and the reserved view no longer shows
// it. Holds end by themselves for every rule (Reserve, Sell and SetStatus ignore them), but a stored status stays
// "reserved" until something writes the car; run this periodically (the example server does, with its outbox
// relay). It returns how many vehicles changed.
func (s *Service) ExpireReservations(ctx context.Context) (int, error) {
	changed := 0
	q := VehicleQuery{Limit: crm.MaxPageLimit}
	for {
		page, err := s.ListReservedVehicles(ctx, q)
		if err != nil {
			return changed, err
		}
		now := s.clock.Now()
		for _, v := range page.Items {
			if len(v.ActiveReservations(now)) == len(v.Reservations) {
				continue
			}
			_, err := s.changeVehicle(ctx, "catalog.Service.ExpireReservations", v.ID, crm.Unconditional, func(v *Vehicle, now time.Time) error {
				before := len(v.Reservations)
				v.dropExpired(now)
				if len(v.Reservations) == before {
					return errUnchanged // a booking renewed it meanwhile
				}
				return nil
			})
			switch {
			case err == nil:
				changed++
			case errors.Is(err, errUnchanged), errors.Is(err, crm.ErrNotFound):
			default:
				return changed, err
			}
		}
		if page.NextCursor == "" {
			return changed, nil
		}
		q.Cursor = page.NextCursor
	}
}

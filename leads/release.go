package leads

import (
	"time"

	"context"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// ReleaseIfFree drops the hold that ref (a test drive or a sale) has on v, and every test-drive hold of v whose
// drive is no longer booked; v goes back in stock when nothing else holds it (a booked test drive or a sale keeps
// it reserved). drives is read for v's booked drives. The caller saves v (in the same unit of work).
func ReleaseIfFree(ctx context.Context, drives TestDriveStore, v *catalog.Vehicle, ref crm.ID, now time.Time) error {
	v.Release(ref, now)
	booked, err := drives.ListByVehicle(ctx, v.ID)
	if err != nil {
		return err
	}
	live := make(map[crm.ID]bool, len(booked))
	for _, d := range booked {
		live[d.ID] = true
	}
	var stale []crm.ID
	for _, r := range v.Reservations {
		if r.Purpose == catalog.ForTestDrive && !live[r.RefID] {
			stale = append(stale, r.RefID)
		}
	}
	for _, id := range stale {
		v.Release(id, now)
	}
	return nil
}

package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/playbooks"
	"github.com/dealercrm/dealercrm/sales"
)

// directoryStores is what the directory step of Migrate writes.
type directoryStores interface {
	leads.DirectoryStores
	sales.StageSeedStores
	playbooks.Stores
}

// seedDirectories gives every dealer lacking a directory, or every stage playbook, the defaults it lacks (the Go
// step of Migrate; a dealer stored before playbooks existed gets the default steps of its stages).
func (db *DB) seedDirectories(ctx context.Context) error {
	var ids []crm.ID
	err := db.x.SelectContext(ctx, &ids, `SELECT d.id FROM dealers d
		WHERE NOT EXISTS (SELECT 1 FROM need_types n WHERE n.dealer_id = d.id)
		   OR NOT EXISTS (SELECT 1 FROM lead_stages l WHERE l.dealer_id = d.id)
		   OR NOT EXISTS (SELECT 1 FROM sales_stages s WHERE s.dealer_id = d.id)
		   OR NOT EXISTS (SELECT 1 FROM playbooks p WHERE p.dealer_id = d.id)
		ORDER BY d.id`)
	if err != nil {
		return err
	}
	unit := crm.NewUnit[directoryStores](db, nil)
	for _, id := range ids {
		err := unit.Update(crm.WithDealer(ctx, id), func(ctx context.Context, st directoryStores) error {
			if err := leads.SeedDirectories(ctx, st); err != nil {
				return err
			}
			if _, err := sales.SeedStages(ctx, st); err != nil {
				return err
			}
			_, err := playbooks.Seed(ctx, st)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

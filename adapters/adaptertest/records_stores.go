package adaptertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runRecordStores runs the generic record contract on the plain record stores; their own suites test only their
// own rules (unique codes and numbers, stock, directories).
func runRecordStores(t *testing.T, open Open) {
	t.Run("SalesStages", func(t *testing.T) {
		RunRecords(t, open, Records[sales.Stores, sales.Stage]{
			New: func(d crm.Dealer, n int) sales.Stage {
				st, err := sales.NewStage(d.ID, sales.Stage{Code: fmt.Sprintf("stage_%d", n), Name: "Стадия", Order: n * 10,
					MaxProbability: 10, Kind: sales.StageOpen}, Epoch)
				require.NoError(t, err)
				return st
			},
			Meta: func(st *sales.Stage) *crm.Meta { return &st.Meta },
			Create: func(ctx context.Context, s sales.Stores, st *sales.Stage) error {
				return s.SalesStages().Create(ctx, st)
			},
			Get: func(ctx context.Context, s sales.Stores, id crm.ID) (sales.Stage, error) {
				return s.SalesStages().Get(ctx, id)
			},
			Update: func(ctx context.Context, s sales.Stores, st *sales.Stage) error {
				return s.SalesStages().Update(ctx, st)
			},
			Edit: func(st *sales.Stage) { st.Name += " (изм.)" },
			Same: func(t *testing.T, want, got sales.Stage) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				assert.Equal(t, want, got)
			},
		})
	})
	t.Run("Parts", func(t *testing.T) {
		RunRecords(t, open, Records[catalog.Stores, catalog.Part]{
			New: func(d crm.Dealer, n int) catalog.Part {
				p, err := catalog.NewPart(d, catalog.Part{Number: fmt.Sprintf("P-%d", n), Name: "Фильтр масляный",
					CompatibleModels: []string{"Vesta"}, Quantity: 3, Price: crm.NewMoney(decimal.RequireFromString("450.50"), "RUB")}, Epoch)
				require.NoError(t, err)
				return p
			},
			Meta:   func(p *catalog.Part) *crm.Meta { return &p.Meta },
			Create: func(ctx context.Context, s catalog.Stores, p *catalog.Part) error { return s.Parts().Create(ctx, p) },
			Get: func(ctx context.Context, s catalog.Stores, id crm.ID) (catalog.Part, error) {
				return s.Parts().Get(ctx, id)
			},
			Update: func(ctx context.Context, s catalog.Stores, p *catalog.Part) error { return s.Parts().Update(ctx, p) },
			Edit:   func(p *catalog.Part) { p.Name += " (изм.)" },
			Same: func(t *testing.T, want, got catalog.Part) {
				assert.Equal(t, want.Number, got.Number)
				assert.Equal(t, want.Name, got.Name)
				assert.Equal(t, want.CompatibleModels, got.CompatibleModels)
				assert.Equal(t, want.Quantity, got.Quantity)
				assert.True(t, want.Price.Equal(got.Price), "%s != %s", want.Price, got.Price)
			},
		})
	})
	t.Run("Labours", func(t *testing.T) {
		RunRecords(t, open, Records[catalog.Stores, catalog.Labour]{
			New: func(d crm.Dealer, n int) catalog.Labour {
				l, err := catalog.NewLabour(d, catalog.Labour{Code: fmt.Sprintf("TO-%d", n), Name: "ТО-1",
					LabourHours: decimal.RequireFromString("1.5"), Price: crm.NewMoney(decimal.NewFromInt(3000), "RUB")}, Epoch)
				require.NoError(t, err)
				return l
			},
			Meta: func(l *catalog.Labour) *crm.Meta { return &l.Meta },
			Create: func(ctx context.Context, s catalog.Stores, l *catalog.Labour) error {
				return s.Labours().Create(ctx, l)
			},
			Get: func(ctx context.Context, s catalog.Stores, id crm.ID) (catalog.Labour, error) {
				return s.Labours().Get(ctx, id)
			},
			Update: func(ctx context.Context, s catalog.Stores, l *catalog.Labour) error {
				return s.Labours().Update(ctx, l)
			},
			Edit: func(l *catalog.Labour) { l.Name += " (изм.)" },
			Same: func(t *testing.T, want, got catalog.Labour) {
				assert.Equal(t, want.Code, got.Code)
				assert.Equal(t, want.Name, got.Name)
				assert.True(t, want.LabourHours.Equal(got.LabourHours))
				assert.True(t, want.Price.Equal(got.Price), "%s != %s", want.Price, got.Price)
			},
		})
	})
	t.Run("Customers", func(t *testing.T) {
		RunRecords(t, open, Records[crm.Stores, crm.Customer]{
			New: func(d crm.Dealer, n int) crm.Customer {
				c, err := crm.NewCustomer(d.ID, crm.Customer{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
					Phones: []string{fmt.Sprintf("+7900000%04d", n)}}}, Epoch)
				require.NoError(t, err)
				return c
			},
			Meta:   func(c *crm.Customer) *crm.Meta { return &c.Meta },
			Create: func(ctx context.Context, s crm.Stores, c *crm.Customer) error { return s.Customers().Create(ctx, c) },
			Get: func(ctx context.Context, s crm.Stores, id crm.ID) (crm.Customer, error) {
				return s.Customers().Get(ctx, id)
			},
			Update: func(ctx context.Context, s crm.Stores, c *crm.Customer) error { return s.Customers().Update(ctx, c) },
			Edit:   func(c *crm.Customer) { c.LastName = "Сидоров" },
			Same: func(t *testing.T, want, got crm.Customer) {
				assert.Equal(t, want.Contact, got.Contact)
				assert.Equal(t, want.Address, got.Address)
			},
		})
	})
}

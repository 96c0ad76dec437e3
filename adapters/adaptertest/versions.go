package adaptertest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// racers is how many writers race on one record with one expected version.
const racers = 20

// runVersions proves that every mutating service checks the expected version inside the unit of work that
// writes (crm.CheckVersion): of 20 writers holding the same version of one record exactly one succeeds and the
// other 19 get crm.ErrStaleVersion, and the record moves on by exactly one version. A check made in a separate
// read would let several through.
func runVersions(t *testing.T, open Open) {
	t.Run("VehicleStatus", func(t *testing.T) {
		e := newCatalogEnv(t, open(t), "A")
		v := e.create(t, card(testVIN(1), "Lada", "Vesta", 2026, "1500000"))
		oneWinner(t, func(i int) error {
			status := catalog.StatusUnavailable
			if i%2 == 1 {
				status = catalog.StatusInTransit
			}
			_, err := e.svc.SetVehicleStatus(e.ctx, v.ID, v.Version, status)
			return err
		})
		assert.Equal(t, v.Version+1, e.get(t, v.ID).Version)
	})
	t.Run("VehicleCard", func(t *testing.T) {
		e := newCatalogEnv(t, open(t), "A")
		v := e.create(t, card(testVIN(2), "Lada", "Vesta", 2026, "1500000"))
		oneWinner(t, func(i int) error {
			edit := v
			edit.Mileage = i
			_, err := e.svc.UpdateVehicle(e.ctx, v.ID, v.Version, edit)
			return err
		})
		assert.Equal(t, v.Version+1, e.get(t, v.ID).Version)
	})
	t.Run("PartStockAdjustment", func(t *testing.T) {
		e := newCatalogEnv(t, open(t), "A")
		p, err := e.svc.CreatePart(e.ctx, catalog.Part{Number: "OF-1", Name: "Фильтр масляный", Quantity: 100})
		require.NoError(t, err)
		oneWinner(t, func(int) error {
			_, err := e.svc.AdjustPartStock(e.ctx, p.ID, p.Version, -1)
			return err
		})
		got, err := e.svc.GetPart(e.ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, 99, got.Quantity, "only the one successful adjustment counts")
		assert.Equal(t, p.Version+1, got.Version)
	})
	t.Run("LeadEdit", func(t *testing.T) {
		e := newLeadsEnv(t, open)
		l := e.lead(t, "Гонка")
		oneWinner(t, func(i int) error {
			in := leadInput("Гонка", fmt.Sprintf("Писатель-%d", i))
			_, err := e.svc.UpdateLead(e.ctx, l.ID, l.Version, in)
			return err
		})
		got, err := e.svc.GetLead(e.ctx, l.ID)
		require.NoError(t, err)
		assert.Equal(t, l.Version+1, got.Version)
	})
	t.Run("LeadStageMove", func(t *testing.T) {
		e := newLeadsEnv(t, open)
		l := e.lead(t, "Этап")
		oneWinner(t, func(int) error {
			_, err := e.svc.MoveLeadStage(e.ctx, l.ID, l.Version, leads.StageInWork, "")
			return err
		})
	})
	t.Run("SaleEdit", func(t *testing.T) {
		e := newSalesEnv(t, open)
		s := e.open(e.customer("Гонщиков").ID, e.vehicle("Vesta", "1500000").ID)
		oneWinner(t, func(i int) error {
			amount := crm.MustMoney(fmt.Sprintf("%d", 1400000+i), "RUB")
			_, err := e.svc.EditSale(e.ctx, s.ID, s.Version, sales.Edit{Changes: sales.Changes{Amount: &amount}})
			return err
		})
		assert.Equal(t, s.Version+1, e.getSale(s.ID).Version)
	})
	t.Run("OrderLine", func(t *testing.T) {
		e := newSalesEnv(t, open)
		s := e.open(e.customer("Заказов").ID, crm.ID{})
		o, err := e.svc.CreateOrder(e.ctx, s.ID, "RUB")
		require.NoError(t, err)
		oneWinner(t, func(i int) error {
			_, _, err := e.svc.AddOrderLine(e.ctx, o.ID, o.Version, sales.LineInput{Kind: sales.LineOther,
				Description: fmt.Sprintf("Сбор %d", i), Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("100", "RUB")})
			return err
		})
		got, err := e.svc.GetOrder(e.ctx, o.ID)
		require.NoError(t, err)
		assert.Len(t, got.Lines, 1)
	})
}

// oneWinner runs write(i) for racers goroutines released at once and asserts that exactly one succeeds and
// every other one fails with crm.ErrStaleVersion.
func oneWinner(t *testing.T, write func(i int) error) {
	t.Helper()
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  = make([]error, racers)
	)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = write(i)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		assert.True(t, errors.Is(err, crm.ErrStaleVersion), "a losing writer must get a stale version, got %v", err)
	}
	assert.Equal(t, 1, ok, "exactly one of %d writers with the same expected version succeeds", racers)
}

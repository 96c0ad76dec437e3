package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runTradeIn runs the trade-in of a sale: the link to an approved appraisal sheet of the dealer's own, taken by
// one sale at a time (also under concurrency), given back when the sale drops it or is lost, and stated in the
// settlement and the purchase contract.
func runTradeIn(t *testing.T, open Open) {
	t.Run("LinkIsChecked", func(t *testing.T) { tradeInLinkIsChecked(t, open) })
	t.Run("OneSalePerSheet", func(t *testing.T) { tradeInOneSalePerSheet(t, open) })
	for _, n := range []int{2, 20} {
		t.Run(fmt.Sprintf("RaceForOneSheet/%d", n), func(t *testing.T) { tradeInRace(t, open, n) })
	}
	t.Run("Contract", func(t *testing.T) { tradeInContract(t, open) })
	t.Run("MergeMovesSheets", func(t *testing.T) { tradeInMergeMovesSheets(t, open) })
}

// approvedSheet creates, fills in, submits and approves a sheet of e's dealer at reference price ref with one
// deduction ded, and returns it.
func (e *salesEnv) approvedSheet(ref, ded string) appraisal.Appraisal {
	e.t.Helper()
	svc := appraisal.NewService(crm.NewUnit[appraisal.Stores](e.b, e.clock), e.clock, appraisal.WithFiles(files.NewMemory()),
		appraisal.WithSniffer(http.DetectContentType))
	a := e.draftSheet(ref, ded)
	ctx := crm.WithActor(e.ctx, e.newUser("Согласующий"))
	a, err := svc.Transition(ctx, a.ID, a.Version, appraisal.ActionSubmit, "")
	require.NoError(e.t, err)
	a, err = svc.Transition(ctx, a.ID, a.Version, appraisal.ActionApprove, "согласовано")
	require.NoError(e.t, err)
	return a
}

// draftSheet creates a draft sheet with a deduction and a justification.
func (e *salesEnv) draftSheet(ref, ded string) appraisal.Appraisal {
	e.t.Helper()
	svc := appraisal.NewService(crm.NewUnit[appraisal.Stores](e.b, e.clock), e.clock)
	in := appraisalInput(7)
	in.ReferencePrice = crm.MustMoney(ref, "RUB")
	in.Justification = "по объявлениям, минус ремонт"
	a, err := svc.CreateAppraisal(e.ctx, in)
	require.NoError(e.t, err)
	a, err = svc.EditElement(e.ctx, a.ID, a.Version, a.Elements[0].ID, appraisal.ElementChange{Deduction: ptr(crm.MustMoney(ded, "RUB"))})
	require.NoError(e.t, err)
	return a
}

func (e *salesEnv) sheet(id crm.ID) (a appraisal.Appraisal) {
	e.t.Helper()
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		a, err = s.Appraisals().Get(ctx, id)
		return err
	})
	return a
}

func (e *salesEnv) setTradeIn(sale sales.Sale, id crm.ID) (sales.Sale, error) {
	return e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{Changes: sales.Changes{TradeInAppraisalID: &id}})
}

func tradeInLinkIsChecked(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	sale := e.open(e.customer("Иван").ID, e.vehicle("Vesta", "1500000").ID)

	draft := e.draftSheet("600000", "10000")
	_, err := e.setTradeIn(sale, draft.ID)
	assert.ErrorIs(t, err, appraisal.ErrNotApproved, "a draft is no trade-in")
	assert.Equal(t, appraisal.CodeNotApproved, crm.CodeOf(err))

	_, err = e.setTradeIn(sale, crm.NewID())
	assert.Equal(t, []string{"trade_in_appraisal_id"}, fieldNames(err), "an unknown sheet: %v", err)
	other := salesEnvOf(t, e.b, "Чужие")
	theirs := other.approvedSheet("600000", "0")
	_, err = e.setTradeIn(sale, theirs.ID)
	assert.Equal(t, []string{"trade_in_appraisal_id"}, fieldNames(err), "another dealer's sheet: %v", err)
	_, err = e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: e.customer("Пётр").ID, TradeInAppraisalID: theirs.ID})
	assert.Equal(t, []string{"trade_in_appraisal_id"}, fieldNames(err), "also when the sale is opened: %v", err)
	assert.Zero(t, other.sheet(theirs.ID).TradeInSaleID)

	eur := e.open(e.customer("Ганс").ID, crm.ID{})
	eur, err = e.svc.EditSale(e.ctx, eur.ID, 0, sales.Edit{Changes: sales.Changes{Amount: ptr(crm.MustMoney("20000", "EUR"))}})
	require.NoError(t, err)
	ok := e.approvedSheet("600000", "25000")
	_, err = e.setTradeIn(eur, ok.ID)
	assert.Equal(t, []string{"trade_in_appraisal_id"}, fieldNames(err), "a sheet in roubles for a sale in euros: %v", err)

	got, err := e.setTradeIn(sale, ok.ID)
	require.NoError(t, err)
	assert.Equal(t, ok.ID, got.TradeInAppraisalID)
	assert.Equal(t, sale.ID, e.sheet(ok.ID).TradeInSaleID, "the sheet knows the sale that took it")
	assert.Equal(t, ok.ID, e.getSale(sale.ID).TradeInAppraisalID)
	st, err := e.svc.GetSaleSettlement(e.ctx, sale.ID)
	require.NoError(t, err)
	require.NotNil(t, st.TradeIn)
	assert.Equal(t, "1500000.00 RUB", st.Total.String())
	assert.Equal(t, "575000.00 RUB", st.TradeIn.Amount.String(), "the approved proposed price")
	assert.Equal(t, "925000.00 RUB", st.Remainder.String())
}

func tradeInOneSalePerSheet(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	a := e.open(e.customer("Анна").ID, e.vehicle("Vesta", "1500000").ID)
	b := e.open(e.customer("Борис").ID, e.vehicle("Vesta", "1500000").ID)
	sheet := e.approvedSheet("700000", "0")
	second := e.approvedSheet("500000", "0")
	_, err := e.setTradeIn(a, sheet.ID)
	require.NoError(t, err)
	_, err = e.setTradeIn(b, sheet.ID)
	assert.ErrorIs(t, err, appraisal.ErrTradeInTaken)
	assert.Equal(t, appraisal.CodeTradeInTaken, crm.CodeOf(err))
	assert.Zero(t, e.getSale(b.ID).TradeInAppraisalID, "the refused sale is unchanged")

	_, err = e.setTradeIn(a, second.ID)
	require.NoError(t, err, "a sale may swap its trade-in")
	assert.Zero(t, e.sheet(sheet.ID).TradeInSaleID, "the first sheet is given back")
	_, err = e.setTradeIn(b, sheet.ID)
	require.NoError(t, err, "and another sale may take it")

	_, err = e.svc.LoseSale(e.ctx, b.ID, 0, "купил в другом салоне")
	require.NoError(t, err)
	assert.Zero(t, e.sheet(sheet.ID).TradeInSaleID, "a lost sale gives its trade-in back")
	assert.Zero(t, e.getSale(b.ID).TradeInAppraisalID)
	_, err = e.setTradeIn(a, crm.ID{})
	require.NoError(t, err, "the zero ID drops the trade-in")
	assert.Zero(t, e.sheet(second.ID).TradeInSaleID)
	assert.Zero(t, e.getSale(a.ID).TradeInAppraisalID)
}

// tradeInRace: n open sales race to take one approved sheet: exactly one gets it, the others are refused with
// ErrTradeInTaken, and the sheet names the winner.
func tradeInRace(t *testing.T, open Open, n int) {
	e := newSalesEnv(t, open)
	sheet := e.approvedSheet("700000", "0")
	saleIDs := make([]sales.Sale, n)
	for i := range saleIDs {
		saleIDs[i] = e.open(e.customer("Покупатель").ID, crm.ID{})
	}
	var wg sync.WaitGroup
	var won, taken atomic.Int32
	var winner atomic.Value
	for _, s := range saleIDs {
		wg.Add(1)
		go func(s sales.Sale) {
			defer wg.Done()
			_, err := e.setTradeIn(s, sheet.ID)
			switch {
			case err == nil:
				won.Add(1)
				winner.Store(s.ID)
			case errors.Is(err, appraisal.ErrTradeInTaken):
				taken.Add(1)
			default:
				t.Error(err)
			}
		}(s)
	}
	wg.Wait()
	assert.EqualValues(t, 1, won.Load())
	assert.EqualValues(t, n-1, taken.Load())
	assert.Equal(t, winner.Load(), e.sheet(sheet.ID).TradeInSaleID)
	linked := 0
	for _, s := range saleIDs {
		if e.getSale(s.ID).TradeInAppraisalID == sheet.ID {
			linked++
		}
	}
	assert.Equal(t, 1, linked, "one sale names the sheet")
}

// tradeInContract: the contract of a won sale with a trade-in states the car taken in, its price, and the
// remainder the buyer pays; the price comes from the link, not from a hand-typed figure.
func tradeInContract(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	sheet := e.approvedSheet("650000", "12500.50")
	v := e.vehicle("Vesta", "1500000")
	sale, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: e.customer("Ольга").ID, VehicleID: v.ID,
		PaymentMethod: sales.PayTradeIn, TradeInAppraisalID: sheet.ID})
	require.NoError(t, err)
	assert.Equal(t, sale.ID, e.sheet(sheet.ID).TradeInSaleID, "linked when the sale is opened")
	form := sales.ContractForm{Renderer: paymentRenderer{}, Files: files.NewMemory()}
	won, err := e.svc.WinWithContract(e.ctx, sale.ID, sale.Version, sales.WinInput{}, form)
	require.NoError(t, err)
	require.NoError(t, won.ContractErr)
	c, _, err := e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.NoError(t, err)
	assert.Equal(t, sales.PayTradeIn, c.Payment.Method)
	assert.Equal(t, "637499.50 RUB", c.Payment.TradeInAmount.String(), "650 000 − 12 500.50")
	assert.Equal(t, "862500.50 RUB", c.Payment.OwnFunds.String(), "the remainder the buyer pays")
	assert.Equal(t, "1500000.00 RUB", c.Totals.Total.String())
	assert.Contains(t, c.Payment.TradeInVehicle, "Kia Rio")
	assert.Contains(t, c.Payment.TradeInVehicle, string(sheet.VIN))
	_, err = e.setTradeIn(e.getSale(sale.ID), crm.ID{})
	assert.ErrorIs(t, err, sales.ErrSaleClosed, "a won sale keeps its trade-in")
	assert.Equal(t, sale.ID, e.sheet(sheet.ID).TradeInSaleID)
}

// tradeInMergeMovesSheets: merging a duplicate customer moves the appraisal sheets of its cars, approved and
// linked ones included, to the customer kept; the trade-in link stays.
func tradeInMergeMovesSheets(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	keep, dup := e.customer("Иван"), e.customer("Ваня")
	svc := appraisal.NewService(crm.NewUnit[appraisal.Stores](e.b, e.clock), e.clock)
	in := appraisalInput(3)
	in.CustomerID = dup.ID
	draft, err := svc.CreateAppraisal(e.ctx, in)
	require.NoError(t, err)
	linked := e.approvedSheet("600000", "0")
	require.NoError(t, crm.NewUnit[appraisal.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s appraisal.Stores) error {
		a, err := s.Appraisals().Get(ctx, linked.ID)
		if err != nil {
			return err
		}
		a.CustomerID = dup.ID
		return s.Appraisals().Update(ctx, &a)
	}))
	sale := e.open(dup.ID, crm.ID{})
	_, err = e.setTradeIn(sale, linked.ID)
	require.NoError(t, err)
	_, moved, err := customerService(e).MergeCustomers(e.ctx, customers.Merge{KeepID: keep.ID, DuplicateID: dup.ID})
	require.NoError(t, err)
	assert.Equal(t, 2, moved.Appraisals)
	assert.Equal(t, keep.ID, e.sheet(draft.ID).CustomerID)
	assert.Equal(t, keep.ID, e.sheet(linked.ID).CustomerID)
	assert.Equal(t, sale.ID, e.sheet(linked.ID).TradeInSaleID)
}

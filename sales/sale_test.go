package sales_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newSale(t *testing.T, p sales.Pipeline) sales.Sale {
	t.Helper()
	s, err := sales.NewSale(p[0].DealerID, sales.Sale{CustomerID: crm.NewID(), VehicleID: crm.NewID(),
		Amount: crm.MustMoney("1500000", "RUB"), PaymentMethod: sales.PayCash}, stage(t, p, "new"), crm.NewID(), epoch)
	require.NoError(t, err)
	return s
}

func codes(h []sales.StageChange) []string {
	var out []string
	for _, c := range h {
		out = append(out, c.ToCode)
	}
	return out
}

func TestNewSale(t *testing.T) {
	p := pipeline(t)
	by := crm.NewID()
	s, err := sales.NewSale(p[0].DealerID, sales.Sale{CustomerID: crm.NewID(), Status: sales.StatusWon, Probability: 99},
		stage(t, p, "test_drive"), by, epoch)
	require.NoError(t, err)
	assert.Equal(t, sales.StatusOpen, s.Status)
	assert.Equal(t, 40, s.Probability, "probability is the stage's maximum")
	assert.Equal(t, "test_drive", s.StageCode)
	require.Len(t, s.History, 1)
	assert.Equal(t, sales.StageChange{At: epoch, By: by, ToStageID: s.StageID, ToCode: "test_drive", Probability: 40}, s.History[0])

	for _, tc := range []struct {
		name   string
		sale   sales.Sale
		stage  string
		fields []string
	}{
		{"no customer", sales.Sale{}, "new", []string{"customer_id"}},
		{"won stage", sales.Sale{CustomerID: crm.NewID()}, "won", []string{"stage_id"}},
		{"negative amount", sales.Sale{CustomerID: crm.NewID(), Amount: crm.MustMoney("-1", "RUB")}, "new", []string{"amount.amount"}},
		{"amount without currency", sales.Sale{CustomerID: crm.NewID(), Amount: crm.Money{Amount: crm.MustMoney("5", "RUB").Amount}}, "new", []string{"amount.currency"}},
		{"unknown payment", sales.Sale{CustomerID: crm.NewID(), PaymentMethod: "barter"}, "new", []string{"payment_method"}},
		{"policy without insurer", sales.Sale{CustomerID: crm.NewID(), Insurance: catalog.VehicleInsurance{PolicyNumber: "XXX 1"}}, "new", []string{"insurance.insurer"}},
		{"insurance ends first", sales.Sale{CustomerID: crm.NewID(), Insurance: catalog.VehicleInsurance{Insurer: "Ингосстрах", ValidFrom: epoch, ValidTo: epoch}}, "new", []string{"insurance.valid_to"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sales.NewSale(p[0].DealerID, tc.sale, stage(t, p, tc.stage), by, epoch)
			require.Error(t, err)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			assert.Equal(t, tc.fields, fields(err))
		})
	}
}

func TestMoveToFollowsTheStageOrder(t *testing.T) {
	p := pipeline(t)
	by := crm.NewID()
	at := epoch.Add(time.Hour)

	t.Run("forward to the next stage takes its probability", func(t *testing.T) {
		s := newSale(t, p)
		require.NoError(t, s.MoveTo(p, stage(t, p, "needs_discovery").ID, "", by, at))
		assert.Equal(t, 20, s.Probability)
		assert.Equal(t, "needs_discovery", s.StageCode)
		assert.Equal(t, []string{"new", "needs_discovery"}, codes(s.History))
		last := s.History[1]
		assert.Equal(t, "new", last.FromCode)
		assert.Equal(t, by, last.By)
		assert.True(t, last.At.Equal(at))
		assert.False(t, last.Skipped)
		assert.True(t, s.UpdatedAt.Equal(at))
	})

	t.Run("skipping forward records each skipped stage", func(t *testing.T) {
		s := newSale(t, p)
		require.NoError(t, s.MoveTo(p, stage(t, p, "proposal").ID, "customer knows what he wants", by, at))
		assert.Equal(t, 60, s.Probability)
		require.Equal(t, []string{"new", "needs_discovery", "vehicle_selection", "test_drive", "proposal"}, codes(s.History))
		for i, want := range []struct {
			from    string
			prob    int
			skipped bool
			reason  string
		}{{"new", 20, true, ""}, {"needs_discovery", 30, true, ""}, {"vehicle_selection", 40, true, ""}, {"test_drive", 60, false, "customer knows what he wants"}} {
			c := s.History[i+1]
			assert.Equal(t, want.from, c.FromCode, c.ToCode)
			assert.Equal(t, want.prob, c.Probability, c.ToCode)
			assert.Equal(t, want.skipped, c.Skipped, c.ToCode)
			assert.Equal(t, want.reason, c.Reason, c.ToCode)
		}
	})

	t.Run("stepping back needs a reason", func(t *testing.T) {
		s := newSale(t, p)
		require.NoError(t, s.MoveTo(p, stage(t, p, "negotiation").ID, "", by, at))
		err := s.MoveTo(p, stage(t, p, "test_drive").ID, " ", by, at)
		require.Error(t, err)
		assert.Equal(t, []string{"reason"}, fields(err))
		assert.Equal(t, "negotiation", s.StageCode, "a refused move changes nothing")
		require.NoError(t, s.MoveTo(p, stage(t, p, "test_drive").ID, "wants another colour", by, at))
		assert.Equal(t, 40, s.Probability)
		last := s.History[len(s.History)-1]
		assert.Equal(t, "negotiation", last.FromCode)
		assert.Equal(t, "wants another colour", last.Reason)
	})

	for _, tc := range []struct {
		name, to string
		field    string
	}{
		{"won only through Win", "won", "stage_id"},
		{"lost only through Lose", "lost", "stage_id"},
		{"current stage", "new", "stage_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSale(t, p)
			err := s.MoveTo(p, stage(t, p, tc.to).ID, "because", by, at)
			require.Error(t, err)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			assert.Equal(t, []string{tc.field}, fields(err))
			assert.Len(t, s.History, 1)
		})
	}
	t.Run("unknown stage", func(t *testing.T) {
		s := newSale(t, p)
		assert.Equal(t, []string{"stage_id"}, fields(s.MoveTo(p, crm.NewID(), "", by, at)))
	})
}

func TestSetProbabilityIsCappedByTheStage(t *testing.T) {
	p := pipeline(t)
	s := newSale(t, p)
	require.NoError(t, s.MoveTo(p, stage(t, p, "proposal").ID, "", crm.NewID(), epoch))
	err := s.SetProbability(p, 61, "ждёт кредита", crm.NewID(), epoch)
	require.Error(t, err)
	assert.Equal(t, []string{"probability"}, fields(err))
	assert.Equal(t, []string{"probability"}, fields(s.SetProbability(p, -1, "ждёт кредита", crm.NewID(), epoch)))
	assert.Equal(t, []string{"reason"}, fields(s.SetProbability(p, 50, " ", crm.NewID(), epoch)), "a change says why")
	assert.Equal(t, 60, s.Probability)

	require.NoError(t, s.SetProbability(p, 35, "budget is tight", crm.NewID(), epoch))
	assert.Equal(t, 35, s.Probability)
	last := s.History[len(s.History)-1]
	assert.Equal(t, "proposal", last.FromCode)
	assert.Equal(t, "proposal", last.ToCode)
	assert.Equal(t, 35, last.Probability)
	assert.Equal(t, "budget is tight", last.Reason)

	require.NoError(t, s.MoveTo(p, stage(t, p, "negotiation").ID, "", crm.NewID(), epoch))
	assert.Equal(t, 75, s.Probability, "entering a stage resets the probability to its maximum")
}

func TestWinAndLoseCloseTheSale(t *testing.T) {
	p := pipeline(t)
	by := crm.NewID()

	t.Run("win", func(t *testing.T) {
		s := newSale(t, p)
		require.NoError(t, s.Win(p, by, epoch))
		assert.Equal(t, sales.StatusWon, s.Status)
		assert.Equal(t, 100, s.Probability)
		assert.Equal(t, "won", s.StageCode)
		assert.True(t, s.WonAt.Equal(epoch))
		assert.Equal(t, "won", s.History[len(s.History)-1].ToCode)
		for name, err := range map[string]error{
			"win":         s.Win(p, by, epoch),
			"lose":        s.Lose(p, "changed mind", by, epoch),
			"move":        s.MoveTo(p, stage(t, p, "proposal").ID, "reopen", by, epoch),
			"probability": s.SetProbability(p, 50, "", by, epoch),
			"apply":       s.Apply(sales.Changes{ServiceContract: ptr(true)}, epoch),
		} {
			assert.True(t, errors.Is(err, sales.ErrSaleClosed), "%s: %v", name, err)
			assert.True(t, errors.Is(err, crm.ErrConflict), name)
		}
	})

	t.Run("win needs a vehicle", func(t *testing.T) {
		s := newSale(t, p)
		s.VehicleID = crm.ID{}
		assert.Equal(t, []string{"vehicle_id"}, fields(s.Win(p, by, epoch)))
		assert.Equal(t, sales.StatusOpen, s.Status)
	})

	t.Run("lose needs a reason and can be reopened with one", func(t *testing.T) {
		s := newSale(t, p)
		require.NoError(t, s.MoveTo(p, stage(t, p, "negotiation").ID, "", by, epoch))
		assert.Equal(t, []string{"reason"}, fields(s.Lose(p, "  ", by, epoch)))
		require.NoError(t, s.Lose(p, "bought elsewhere", by, epoch))
		assert.Equal(t, sales.StatusLost, s.Status)
		assert.Equal(t, 0, s.Probability)
		assert.Equal(t, "bought elsewhere", s.LostReason)
		assert.True(t, s.LostAt.Equal(epoch))
		assert.True(t, errors.Is(s.Win(p, by, epoch), sales.ErrSaleClosed))

		assert.Equal(t, []string{"reason"}, fields(s.MoveTo(p, stage(t, p, "proposal").ID, "", by, epoch)))
		require.NoError(t, s.MoveTo(p, stage(t, p, "proposal").ID, "came back", by, epoch))
		assert.Equal(t, sales.StatusOpen, s.Status)
		assert.Equal(t, 60, s.Probability)
		assert.Empty(t, s.LostReason)
		assert.True(t, s.LostAt.IsZero())
		last := s.History[len(s.History)-1]
		assert.Equal(t, "lost", last.FromCode)
		assert.Equal(t, "came back", last.Reason)
	})

	t.Run("missing closing stages", func(t *testing.T) {
		open := sales.Pipeline{stage(t, p, "new")}
		s := newSale(t, p)
		assert.True(t, errors.Is(s.Win(open, by, epoch), sales.ErrNoStage))
		assert.True(t, errors.Is(s.Lose(open, "x", by, epoch), sales.ErrNoStage))
	})
}

func TestApplyChanges(t *testing.T) {
	p := pipeline(t)
	s := newSale(t, p)
	owner, appraisal, credit := crm.NewID(), crm.NewID(), crm.NewID()
	amount := crm.MustMoney("1450000.00", "RUB")
	method := sales.PayMixed
	require.NoError(t, s.Apply(sales.Changes{Amount: &amount, OwnerID: &owner, ServiceContract: ptr(true),
		PaymentMethod: &method, TradeInAppraisalID: &appraisal, CreditApplicationID: &credit,
		Insurance: &catalog.VehicleInsurance{Insurer: "Ингосстрах", PolicyNumber: "ХХХ 0123456789"}}, epoch.Add(time.Minute)))
	assert.Equal(t, "1450000.00 RUB", s.Amount.String())
	assert.Equal(t, owner, s.OwnerID)
	assert.True(t, s.ServiceContract)
	assert.Equal(t, sales.PayMixed, s.PaymentMethod)
	assert.Equal(t, credit, s.CreditApplicationID, "Apply sets the link; EditSale checks it first")
	assert.Equal(t, "Ингосстрах", s.Insurance.Insurer)

	before := s.Clone()
	bad := crm.MustMoney("-5", "RUB")
	badMethod := sales.PaymentMethod("barter")
	err := s.Apply(sales.Changes{Amount: &bad, PaymentMethod: &badMethod, OwnerID: &appraisal}, epoch)
	assert.ElementsMatch(t, []string{"amount.amount", "payment_method"}, fields(err))
	assert.Equal(t, before, s, "a refused change leaves the sale as it was")

	require.NoError(t, s.Apply(sales.Changes{CreditApplicationID: &crm.ID{}}, epoch))
	assert.Equal(t, crm.ID{}, s.CreditApplicationID, "the zero ID unlinks")
}

func TestSaleHoldsItsVehicleAsOneHolder(t *testing.T) {
	p := pipeline(t)
	s := newSale(t, p)
	s.LeadID = crm.NewID()
	r := s.Reservation(epoch)
	assert.Equal(t, catalog.ForSale, r.Purpose)
	assert.Equal(t, s.ID, r.RefID)
	assert.True(t, r.Holder.Same(catalog.Holder{LeadID: s.LeadID}), "the lead's test-drive hold is the same holder")
	assert.True(t, r.Holder.Same(catalog.Holder{CustomerID: s.CustomerID}))
	assert.False(t, r.Holder.Same(catalog.Holder{CustomerID: crm.NewID()}))
}

func ptr[T any](v T) *T { return &v }

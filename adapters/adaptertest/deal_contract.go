package adaptertest

import (
	"context"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// paymentRenderer prints the contract's buyer and payment method, so that a test can read them back.
type paymentRenderer struct{}

func (paymentRenderer) Render(_ context.Context, c sales.Contract) ([]byte, error) {
	return []byte(c.Buyer.FullName + "\n" + string(c.Payment.Method)), nil
}

func (paymentRenderer) ContentType() string { return "text/plain; charset=utf-8" }

// dealContractAtTheSale: winning forms the contract, keeps it as the sale's document and states the sale's own
// payment terms; a win whose contract cannot be formed still stands and says why.
func dealContractAtTheSale(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	fs := files.NewMemory()
	form := sales.ContractForm{Renderer: paymentRenderer{}, Files: fs}
	for _, method := range []sales.PaymentMethod{sales.PayTransfer, sales.PayCash} {
		v := e.vehicle("Vesta", "1500000")
		c := e.customer("Иван")
		sale, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: c.ID, VehicleID: v.ID, PaymentMethod: method})
		require.NoError(t, err)
		won, err := e.svc.WinWithContract(e.ctx, sale.ID, sale.Version, sales.WinInput{}, form)
		require.NoError(t, err)
		require.NoError(t, won.ContractErr)
		assert.Equal(t, sales.StatusWon, won.Sale.Status)
		assert.Equal(t, sale.ID, won.Contract.SubjectID)
		assert.Contains(t, won.Blanks, "customer.document.number")
		var docs []crm.Document
		require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).View(e.ctx, func(ctx context.Context, s crm.Stores) (err error) {
			docs, err = s.Documents().ListBySubject(ctx, sale.ID)
			return err
		}))
		require.Len(t, docs, 1, "the contract is listed with the sale")
		assert.Equal(t, won.Contract.ID, docs[0].ID)
		data, err := fs.Get(e.ctx, docs[0].Key)
		require.NoError(t, err)
		lines := strings.Split(string(data), "\n")
		assert.Contains(t, lines[0], c.FirstName, "the buyer is the sale's customer")
		assert.Contains(t, lines[0], c.LastName, "the buyer is the sale's customer")
		assert.Equal(t, string(method), lines[1], "the contract states the sale's payment method, not a hard-coded one")
	}

	// A sale paid by credit without a credit application linked could never have a contract: the win is refused
	// naming the link to make, and nothing changes.
	v := e.vehicle("Vesta", "1500000")
	sale, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: e.customer("Пётр").ID, VehicleID: v.ID,
		PaymentMethod: sales.PayCredit})
	require.NoError(t, err)
	_, err = e.svc.WinWithContract(e.ctx, sale.ID, sale.Version, sales.WinInput{}, form)
	require.ErrorIs(t, err, crm.ErrInvalid, "never won to be printed as paid in cash")
	assert.Equal(t, []string{"credit_application_id"}, salesFields(err))
	assert.Equal(t, sales.StatusOpen, e.getSale(sale.ID).Status)
	assert.Equal(t, sale.Version, e.getSale(sale.ID).Version)
}

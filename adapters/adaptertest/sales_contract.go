package adaptertest

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// textRenderer renders a contract as plain text, so the suite checks the orchestration, not a PDF library.
type textRenderer struct{}

func (textRenderer) Render(_ context.Context, c sales.Contract) ([]byte, error) {
	return []byte(c.Number + "\n" + c.Buyer.FullName + "\n" + c.Vehicle.VIN), nil
}

func (textRenderer) ContentType() string { return "text/plain; charset=utf-8" }

// countingRenderer is a textRenderer that counts its renders.
type countingRenderer struct {
	textRenderer
	n atomic.Int64
}

func (r *countingRenderer) Render(ctx context.Context, c sales.Contract) ([]byte, error) {
	r.n.Add(1)
	return r.textRenderer.Render(ctx, c)
}

func testSalesContract(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	c := e.customer("Иван")
	sale := e.open(c.ID, v.ID)

	contract, blanks, err := e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.NoError(t, err)
	assert.Equal(t, string(v.VIN), contract.Vehicle.VIN)
	assert.Contains(t, contract.Buyer.FullName, "Иван")
	assert.Contains(t, blanks, "customer.document.number", "the customer has no passport on file")
	assert.Equal(t, "1500000.00", contract.Totals.Total.StringAmount())

	fs := files.NewMemory()
	doc, _, err := e.svc.GenerateContract(e.ctx, sale.ID, sales.ContractTerms{}, textRenderer{}, fs)
	require.NoError(t, err)
	assert.EqualValues(t, 1, doc.Version)
	assert.Equal(t, sale.ID, doc.SubjectID)
	data, err := fs.Get(e.ctx, doc.Key)
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(string(data), string(v.VIN)))
	var docs []crm.Document
	require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).View(e.ctx, func(ctx context.Context, s crm.Stores) (err error) {
		docs, err = s.Documents().ListBySubject(ctx, sale.ID)
		return err
	}))
	require.Len(t, docs, 1)
	assert.Equal(t, doc.SHA256, docs[0].SHA256)

	// Asked again for an unchanged contract, the document kept before is the answer: nothing rendered, nothing
	// added.
	counted := &countingRenderer{}
	again, _, err := e.svc.GenerateContract(e.ctx, sale.ID, sales.ContractTerms{}, counted, fs)
	require.NoError(t, err)
	assert.Equal(t, doc.ID, again.ID, "an unchanged contract is not formed twice")
	assert.Zero(t, counted.n.Load(), "nor rendered again")
	// A change of what the contract prints forms a fresh one, beside (not over) the first one's file.
	terms := sales.ContractTerms{Signatory: sales.Signatory{Name: "Сидоров С. С."}}
	fresh, _, err := e.svc.GenerateContract(e.ctx, sale.ID, terms, counted, fs)
	require.NoError(t, err)
	assert.NotEqual(t, doc.ID, fresh.ID)
	assert.NotEqual(t, doc.Key, fresh.Key, "the first document's file stays as it was")
	assert.EqualValues(t, 1, counted.n.Load())
	require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).View(e.ctx, func(ctx context.Context, s crm.Stores) (err error) {
		docs, err = s.Documents().ListBySubject(ctx, sale.ID)
		return err
	}))
	assert.Len(t, docs, 2)

	lost, err := e.svc.LoseSale(e.ctx, sale.ID, e.getSale(sale.ID).Version, "передумал")
	require.NoError(t, err)
	_, _, err = e.svc.BuildSaleContract(e.ctx, lost.ID, sales.ContractTerms{})
	assert.True(t, errors.Is(err, sales.ErrSaleClosed), "%v", err)

	other := salesEnvOf(t, e.b, "Юг")
	_, _, err = other.svc.BuildSaleContract(other.ctx, sale.ID, sales.ContractTerms{})
	assert.True(t, errors.Is(err, crm.ErrNotFound), "another dealer's sale: %v", err)
}

func testSalesEditIsAtomic(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	sale := e.open(e.customer("Пётр").ID, e.vehicle("Granta", "900000").ID)
	proposal := e.stage("proposal")
	amount := crm.MustMoney("880000", "RUB")

	edited, err := e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{StageID: proposal.ID,
		Changes: sales.Changes{Amount: &amount}})
	require.NoError(t, err)
	assert.Equal(t, sale.Version+1, edited.Version, "one edit, one version")
	assert.Equal(t, proposal.ID, edited.StageID)
	assert.Equal(t, proposal.MaxProbability, edited.Probability)
	assert.True(t, edited.Amount.Equal(amount))

	// A refused part refuses the whole edit.
	contract, tooHigh := e.stage("contract"), 99
	_, err = e.svc.EditSale(e.ctx, sale.ID, edited.Version, sales.Edit{StageID: contract.ID, Probability: &tooHigh})
	require.Error(t, err)
	assert.Contains(t, salesFields(err), "probability")
	got := e.getSale(sale.ID)
	assert.Equal(t, edited.Version, got.Version)
	assert.Equal(t, proposal.ID, got.StageID, "the stage move was rolled back with the refused probability")
}

func testSalesEmptyEditWritesNothing(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	sale := e.open(e.customer("Ольга").ID, e.vehicle("Granta", "900000").ID)
	got, err := e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{})
	require.NoError(t, err)
	assert.Equal(t, sale.Version, got.Version)
	assert.Equal(t, sale.Version, e.getSale(sale.ID).Version, "nothing was written")
	_, err = e.svc.EditSale(e.ctx, sale.ID, sale.Version+5, sales.Edit{})
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
}

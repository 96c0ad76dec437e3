package httpapi

import (
	"context"
	"sync/atomic"

	"bytes"
	"github.com/dealercrm/dealercrm/adapters/htmldoc"
	"github.com/dealercrm/dealercrm/sales"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdfText extracts a PDF's text with pdftotext (poppler), skipping when it is not installed, except on CI
// (CI=true), where it must be.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pdftotext is required on CI (apt-get install poppler-utils): %v", err)
		}
		t.Skip("pdftotext is not installed")
	}
	cmd := exec.Command(path, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	require.NoError(t, err)
	return strings.Join(strings.Fields(string(out)), " ")
}

// wonSale walks lead → test drive → conversion → win and returns the sale's id.
func (f *fixture) wonSale(d dealerFixture, vin string) string {
	f.t.Helper()
	tok := d.token(crm.RoleSalesManager)
	vid := f.createVehicle(d, vin)
	lid := f.createLead(d, "Иван Сергеевич Петров", "+79005550000")
	start, end := slot(6)
	f.must(201, post("/api/v1/leads/"+lid+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": start, "end": end}))
	sid := f.must(201, post("/api/v1/leads/"+lid+"/convert", tok, nil)).Str("id")
	f.must(200, patch("/api/v1/sales/"+sid, tok, map[string]any{"payment_method": "cash"}))
	f.must(200, post("/api/v1/sales/"+sid+"/win", tok, map[string]any{"insurer": "Ингосстрах", "policy_number": "P-1"}))
	return sid
}

func TestContractPDF(t *testing.T) { onBothAdapters(t, testContractPDF) }

func testContractPDF(t *testing.T, f *fixture) {
	sid := f.wonSale(f.a, vins[7])
	tok := f.a.token(crm.RoleReadOnly)

	res := f.must(200, get("/api/v1/sales/"+sid+"/contract.pdf", tok))
	assert.Equal(t, "application/pdf", res.Header.Get("Content-Type"))
	assert.True(t, bytes.HasPrefix(res.Body, []byte("%PDF-")))
	assert.Contains(t, res.Header.Get("X-Contract-Blanks"), "customer.document.number")
	text := pdfText(t, res.Body)
	assert.Contains(t, text, vins[7])
	assert.Contains(t, text, "Петров")
	assert.Contains(t, text, "Иван")

	html := f.must(200, get("/api/v1/sales/"+sid+"/contract.html", tok))
	assert.Contains(t, html.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, string(html.Body), vins[7])

	f.must(404, get("/api/v1/sales/"+sid+"/contract.pdf", f.b.token(crm.RoleAdmin)))

	t.Run("stored as a document of the sale", func(t *testing.T) {
		atWin := f.must(200, get("/api/v1/sales/"+sid+"/documents", tok)).Items()
		require.Len(t, atWin, 1, "the win formed the contract and listed it with the sale")
		assert.Equal(t, "purchase_contract", atWin[0]["kind"])
		f.must(403, post("/api/v1/sales/"+sid+"/contract", tok, nil))
		doc := f.must(201, post("/api/v1/sales/"+sid+"/contract", f.a.token(crm.RoleSalesManager), nil))
		assert.Equal(t, "purchase_contract", doc.Str("kind"))
		assert.Equal(t, sid, doc.Str("subject_id"))
		assert.Equal(t, atWin[0]["id"], doc.Str("id"), "the sale did not change: the win's contract is the answer")
		again := f.must(201, post("/api/v1/sales/"+sid+"/contract", f.a.token(crm.RoleSalesManager), nil))
		assert.Equal(t, doc.Str("id"), again.Str("id"))
		docs := f.must(200, get("/api/v1/sales/"+sid+"/documents", tok)).Items()
		require.Len(t, docs, 1, "asking again for an unchanged contract adds no document")
		f.must(200, get("/api/v1/documents/"+doc.Str("id"), tok))
		content := f.must(200, get(doc.Str("content_url"), tok))
		assert.Equal(t, "application/pdf", content.Header.Get("Content-Type"))
		assert.Contains(t, pdfText(t, content.Body), vins[7])
		f.must(404, get("/api/v1/documents/"+doc.Str("id"), f.b.token(crm.RoleAdmin)))
		f.must(404, get(doc.Str("content_url"), f.b.token(crm.RoleAdmin)))
	})
	t.Run("a customer's identity fills the blanks", func(t *testing.T) {
		sale := f.must(200, get("/api/v1/sales/"+sid, tok))
		f.must(200, patch("/api/v1/customers/"+sale.Str("customer_id"), f.a.token(crm.RoleSalesManager), map[string]any{
			"document": map[string]any{"type": "passport_ru", "series": "4510", "number": "123456",
				"issued_by": "ОВД Тверского района г. Москвы", "issued_on": "2010-05-01"},
			"address": map[string]any{"city": "Москва", "street": "ул. Ленина, 1"}}))
		res := f.must(200, get("/api/v1/sales/"+sid+"/contract.pdf", tok))
		assert.Empty(t, res.Header.Get("X-Contract-Blanks"))
		assert.Contains(t, pdfText(t, res.Body), "123456")
	})
}

// countingRenderer counts the renders of the renderer it wraps.
type countingRenderer struct {
	sales.ContractRenderer
	n atomic.Int64
}

func (r *countingRenderer) Render(ctx context.Context, c sales.Contract) ([]byte, error) {
	r.n.Add(1)
	return r.ContractRenderer.Render(ctx, c)
}

// A contract fetched again and again is rendered once per content: the render cache answers the rest, and a
// change of what it prints renders it afresh.
func TestContractRenderedOncePerContent(t *testing.T) {
	html := &countingRenderer{ContractRenderer: htmldoc.Renderer{}}
	f := newFixture(t, func(c *Config) { c.Contracts.HTML = html })
	sid := f.wonSale(f.a, vins[7])
	tok := f.a.token(crm.RoleReadOnly)
	first := f.must(200, get("/api/v1/sales/"+sid+"/contract.html", tok))
	for range 10 {
		res := f.must(200, get("/api/v1/sales/"+sid+"/contract.html", tok))
		assert.Equal(t, first.Body, res.Body)
	}
	assert.EqualValues(t, 1, html.n.Load(), "11 fetches of one contract")
	sale := f.must(200, get("/api/v1/sales/"+sid, tok))
	f.must(200, patch("/api/v1/customers/"+sale.Str("customer_id"), f.a.token(crm.RoleSalesManager), map[string]any{
		"address": map[string]any{"city": "Тверь", "street": "ул. Советская, 2"}}))
	assert.Contains(t, string(f.must(200, get("/api/v1/sales/"+sid+"/contract.html", tok)).Body), "Тверь")
	assert.EqualValues(t, 2, html.n.Load(), "the changed address renders once more")
}

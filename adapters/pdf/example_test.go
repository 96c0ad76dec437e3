package pdf_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/adapters/pdf"
	"github.com/dealercrm/dealercrm/adapters/pdf/layout/layouttest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// A won sale's contract is rendered to PDF and its bytes put in a file store; the returned document record is
// what the caller saves in its unit of work.
func ExampleRenderer() {
	ctx := context.Background()
	contract := layouttest.Contract() // in a service: sales.BuildContract(input)
	store := files.NewMemory()
	dealerID, saleID := crm.NewID(), crm.NewID()

	doc, err := sales.StoreContract(ctx, store, pdf.Renderer{}, contract, dealerID, saleID, contract.Date)
	if err != nil {
		fmt.Println(err)
		return
	}
	data, _ := store.Get(ctx, doc.Key)
	fmt.Println(doc.Kind, doc.Name, doc.ContentType)
	fmt.Println(bytes.HasPrefix(data, []byte("%PDF-")), doc.Size == int64(len(data)), len(doc.SHA256))
	// Output:
	// purchase_contract contract-ДКП-2026-0042.pdf application/pdf
	// true true 64
}

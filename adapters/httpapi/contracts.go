package httpapi

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// Contracts configures the purchase-contract routes. They need Config.Sales, Config.Catalog and Config.Kernel.
type Contracts struct {
	// PDF serves GET /api/v1/sales/{id}/contract.pdf (pdf.Renderer{} prints the default Russian contract).
	PDF sales.ContractRenderer
	// HTML serves GET /api/v1/sales/{id}/contract.html (htmldoc.Renderer{}).
	HTML sales.ContractRenderer
	// Files, with PDF, serves POST /api/v1/sales/{id}/contract: the PDF is kept there and recorded as a document
	// of the sale (GET /api/v1/documents/{id}/content returns it).
	Files crm.FileStore
	// Signatory signs for the dealer; blank leaves a line to sign by hand.
	Signatory sales.Signatory
	// WarrantyMonths and WarrantyKm state the dealer's warranty; zero: none.
	WarrantyMonths, WarrantyKm int
	// Location dates the contract; default Europe/Moscow.
	Location *time.Location
	// RenderCacheBytes bounds the memory that keeps rendered contracts, so that an unchanged contract is
	// rendered once however often it is fetched (sales.RenderCache, one per format): 0 takes
	// sales.DefaultRenderCacheBytes, a negative value renders on every request.
	RenderCacheBytes int64
}

// cached returns c with PDF and HTML behind render caches (unless RenderCacheBytes is negative).
func (c Contracts) cached() Contracts {
	if c.RenderCacheBytes < 0 {
		return c
	}
	if c.PDF != nil {
		c.PDF = sales.NewRenderCache(c.PDF, c.RenderCacheBytes)
	}
	if c.HTML != nil {
		c.HTML = sales.NewRenderCache(c.HTML, c.RenderCacheBytes)
	}
	return c
}

// terms are the standing terms the sales service prints on every contract.
// form is how a won sale's contract is formed: the PDF kept in Files (zero, so not formed, without either).
func (c Contracts) form() sales.ContractForm {
	if c.PDF == nil || c.Files == nil {
		return sales.ContractForm{}
	}
	return sales.ContractForm{Terms: c.terms(), Renderer: c.PDF, Files: c.Files}
}

func (c Contracts) terms() sales.ContractTerms {
	return sales.ContractTerms{Signatory: c.Signatory, WarrantyMonths: c.WarrantyMonths, WarrantyKm: c.WarrantyKm,
		Location: c.Location}
}

package sales

import (
	"context"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
)

// ContractForm is how the purchase contract of a won sale is formed: the dealer's standing terms, the renderer
// that prints it (a PDF, say) and the file store that keeps the bytes.
type ContractForm struct {
	Terms    ContractTerms
	Renderer ContractRenderer
	Files    crm.FileStore
}

// Won is what winning a sale with its contract gives: the won sale, the customer vehicle it created, and the
// contract kept as the sale's document (with the requisites printed as blanks), or why it could not be formed.
type Won struct {
	Sale            Sale
	CustomerVehicle aftersales.CustomerVehicle
	Contract        crm.Document // zero when ContractErr is set
	Blanks          []string     // requisites the CRM lacks, printed as ContractBlank
	ContractErr     error        // why the contract was not formed; the win stands regardless
}

// WinWithContract wins the sale as WinSale does and, once the win is committed, forms its purchase contract ready to
// print as GenerateContract does: rendered and stored outside any unit of work, then recorded as a document of the
// sale (listed with the sale's documents). The win stands even when the contract cannot be formed — a requisite
// it cannot do without, a renderer or a file store failing: Won.ContractErr says why, and GenerateContract can
// form it later. The error is WinSale's; nothing is formed when the win fails. A zero form (no renderer or no file
// store) only wins.
func (s *Service) WinWithContract(ctx context.Context, saleID crm.ID, expectedVersion int64, in WinInput, form ContractForm) (Won, error) {
	sale, cv, err := s.WinSale(ctx, saleID, expectedVersion, in)
	if err != nil {
		return Won{}, err
	}
	won := Won{Sale: sale, CustomerVehicle: cv}
	if form.Renderer == nil || form.Files == nil {
		return won, nil
	}
	won.Contract, won.Blanks, won.ContractErr = s.GenerateContract(ctx, sale.ID, form.Terms, form.Renderer, form.Files)
	return won, nil
}

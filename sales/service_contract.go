package sales

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// ContractTerms are the dealer's standing terms printed on every purchase contract.
type ContractTerms struct {
	Signatory      Signatory      // who signs for the dealer; blank leaves a line to sign by hand
	WarrantyMonths int            // the dealer's warranty; zero months and zero km: none
	WarrantyKm     int            //
	Location       *time.Location // dates the contract; default Europe/Moscow
}

// ContractBlank is printed where a requisite the contract needs is not in the CRM yet, to be filled in by hand.
const ContractBlank = "____________"

// BuildSaleContract builds the purchase contract of a sale from what is stored: the sale, its order lines (or the vehicle
// at the sale's amount), the dealer, the customer and the vehicle. The contract is dated when the sale was won, or
// now for a sale still open. Requisites the CRM does not hold yet (the buyer's passport or address, say) are
// printed as ContractBlank; their field names are the second result, so the caller can show what to complete.
//
// Returns KindNotFound for an unknown sale, KindConflict (ErrSaleClosed) for a lost sale or a sale without a
// vehicle, and the errors of BuildContract.
func (s *Service) BuildSaleContract(ctx context.Context, saleID crm.ID, terms ContractTerms) (Contract, []string, error) {
	var in ContractInput
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		in, _, err = s.saleContractInput(ctx, st, saleID, terms, false)
		return err
	})
	if err != nil {
		return Contract{}, nil, err
	}
	return buildWithBlanks(in)
}

// saleContractInput reads what the contract of saleID is built from, refusing a lost sale and one without a
// vehicle; it returns the sale's documents too when withDocuments.
func (s *Service) saleContractInput(ctx context.Context, st Stores, saleID crm.ID, terms ContractTerms, withDocuments bool) (ContractInput, []crm.Document, error) {
	src, err := contractSources(ctx, st, saleID, withDocuments)
	if err != nil {
		return ContractInput{}, nil, err
	}
	in, err := s.contractInput(ctx, st, src, terms)
	return in, src.Documents, err
}

// contractableSale refuses a lost sale and a sale without a vehicle.
func contractableSale(sale Sale) error {
	const op = "sales.Service.BuildSaleContract"
	if sale.Status == StatusLost {
		return fmt.Errorf("sale %s is lost, it has no contract: %w", sale.ID, ErrSaleClosed)
	}
	if sale.VehicleID == (crm.ID{}) {
		return crm.Errorf(crm.KindConflict, crm.CodeSaleNoVehicle, op, "sale %s has no vehicle yet", sale.ID)
	}
	return nil
}

// buildWithBlanks fills the blanks of in and builds the contract.
func buildWithBlanks(in ContractInput) (Contract, []string, error) {
	blanks := fillContractBlanks(&in)
	if in.PaymentMethod == "" {
		blanks = append(blanks, "payment_method") // printed as "in cash or by transfer" until the sale says which
	}
	c, err := BuildContract(in)
	return c, blanks, err
}

func (s *Service) contractInput(ctx context.Context, st Stores, src ContractSources, terms ContractTerms) (ContractInput, error) {
	sale, dealer, customer, vehicle, order, hasOrder := src.Sale, src.Dealer, src.Customer, src.Vehicle, src.Order, src.HasOrder
	loc := terms.Location
	if loc == nil {
		loc = moscow()
	}
	date := s.clock.Now()
	if !sale.WonAt.IsZero() {
		date = sale.WonAt
	}
	in := ContractInput{
		Number:         fmt.Sprintf("ДКП-%d/%s", date.In(loc).Year(), strings.ToUpper(sale.ID.String()[:8])),
		Date:           date.In(loc),
		Dealer:         dealer,
		Signatory:      terms.Signatory,
		Customer:       customer,
		Vehicle:        vehicle,
		Amount:         sale.Amount,
		PaymentMethod:  sale.PaymentMethod, // the credit and trade-in parts come from their links (creditTerms, tradeInTerms)
		WarrantyMonths: terms.WarrantyMonths,
		WarrantyKm:     terms.WarrantyKm,
	}
	if hasOrder && len(order.Lines) > 0 {
		in.Amount = order.Gross
		for _, l := range order.Lines {
			in.Lines = append(in.Lines, ContractLine{Vehicle: l.Kind == LineVehicle && l.RefID == sale.VehicleID,
				Description: l.Description, Quantity: l.Quantity,
				UnitPrice: l.UnitPrice, Discount: l.Discount, VAT: l.VAT, Total: l.Gross})
		}
	}
	if in.Amount.IsZero() {
		in.Amount = listNet(vehicle)
	}
	if err := paymentLinks(ctx, st, sale, &in); err != nil {
		return ContractInput{}, err
	}
	return in, nil
}

// listNet is the vehicle's list price less its standing discount, or the list price when they do not add up.
func listNet(v catalog.Vehicle) crm.Money {
	if net, err := v.Finance.ListPrice.Sub(v.Finance.Discount); err == nil {
		return net
	}
	return v.Finance.ListPrice
}

// GenerateContract renders the sale's contract with r, keeps the bytes in files (outside any transaction) and
// records them as a document of the sale. It returns the document and the blanks, as Contract does.
//
// A contract is formed once per content: when a document of the sale already holds a contract that prints the
// same (the same Fingerprint, so the same ContractKey) in r's format, that document is returned and nothing is
// rendered, stored or added. Recording a new document completes, in its unit of work, the sale's playbook steps
// waiting for the contract (crm.EventContractFormed). Reading the sale and looking for the document take one read-only unit of work.
func (s *Service) GenerateContract(ctx context.Context, saleID crm.ID, terms ContractTerms, r ContractRenderer,
	files crm.FileStore) (crm.Document, []string, error) {
	dealerID, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.Document{}, nil, err
	}
	var (
		c      Contract
		blanks []string
		kept   crm.Document
		found  bool
	)
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		kept, found = crm.Document{}, false // fn may run more than once: only this run's finding counts
		in, docs, err := s.saleContractInput(ctx, st, saleID, terms, r != nil)
		if err != nil {
			return err
		}
		if c, blanks, err = buildWithBlanks(in); err != nil || r == nil {
			return err
		}
		key := ContractKey(dealerID, saleID, c, contractExtension(r.ContentType()))
		for _, d := range docs {
			if d.Kind == ContractDocumentKind && d.Key == key {
				kept, found = d, true
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return crm.Document{}, nil, err
	}
	if found {
		return kept, blanks, nil
	}
	doc, err := StoreContract(ctx, files, r, c, dealerID, saleID, s.clock.Now())
	if err != nil {
		return crm.Document{}, nil, err
	}
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d := doc
		if err := st.Documents().Create(ctx, &d); err != nil {
			return err
		}
		doc = d
		if err := st.Playbook().StepEvent(ctx, crm.StepEvent{Event: crm.EventContractFormed, SaleID: saleID}); err != nil {
			return err
		}
		return nil
	})
	return doc, blanks, err
}

// fillContractBlanks puts ContractBlank in the requisites a contract needs and the CRM may not hold yet, and
// names them.
func fillContractBlanks(in *ContractInput) []string {
	var names []string
	fill := func(name string, s *string) {
		if strings.TrimSpace(*s) == "" {
			*s = ContractBlank
			names = append(names, name)
		}
	}
	d, c := &in.Dealer, &in.Customer
	if len(strings.TrimSpace(d.TaxID)) == 10 {
		fill("dealer.tax_reg_code", &d.TaxRegCode) // a company's INN has ten digits and comes with a KPP
	}
	fill("dealer.tax_id", &d.TaxID)
	fill("dealer.reg_number", &d.RegNumber)
	if d.Address.String() == "" {
		fill("dealer.address", &d.Address.Street)
	}
	fill("dealer.bank.bank_name", &d.Bank.BankName)
	fill("dealer.bank.bic", &d.Bank.BIC)
	fill("dealer.bank.account", &d.Bank.Account)
	if in.City == "" && d.Address.City == "" {
		in.City = ContractBlank
		names = append(names, "city")
	}
	if c.Kind == crm.Company {
		fill("customer.tax_id", &c.TaxID)
	} else {
		if c.Document.Type == "" || c.Document.Type == "passport_ru" {
			fill("customer.document.series", &c.Document.Series)
		}
		fill("customer.document.number", &c.Document.Number)
		fill("customer.document.issued_by", &c.Document.IssuedBy)
		fill("customer.document.issued_on", &c.Document.IssuedOn)
	}
	if c.Address.String() == "" {
		fill("customer.address", &c.Address.Street)
	}
	return names
}

// internalIfMissing turns a not-found of a record the sale refers to into an internal error: the sale was found,
// so its customer or vehicle missing is a fault of the store, not the caller's.
func internalIfMissing(err error) error {
	if errors.Is(err, crm.ErrNotFound) {
		return crm.E(crm.KindInternal, "sales.Service.BuildSaleContract", err)
	}
	return err
}

func moscow() *time.Location {
	if loc, err := time.LoadLocation("Europe/Moscow"); err == nil {
		return loc
	}
	return time.FixedZone("MSK", 3*3600)
}

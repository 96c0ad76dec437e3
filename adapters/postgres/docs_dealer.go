package postgres

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// dealerDoc is how a dealer is kept in dealers.doc: the adapter's own format, independent of crm.Dealer. The keys
// are the ones stored since migration 001, metadata included (read back from the columns, not from the document).
type dealerDoc struct {
	ID         crm.ID         `json:"id"`
	DealerID   crm.ID         `json:"dealer_id"`
	Version    int64          `json:"version"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	Name       string         `json:"name"`
	LegalName  string         `json:"legal_name"`
	TaxID      string         `json:"tax_id,omitempty"`
	TaxRegCode string         `json:"tax_reg_code,omitempty"`
	RegNumber  string         `json:"reg_number,omitempty"`
	Address    addressDoc     `json:"address"`
	Bank       bankAccountDoc `json:"bank"`
	Phone      string         `json:"phone,omitempty"`
	Email      string         `json:"email,omitempty"`
	Currency   string         `json:"currency"`
	StrictVIN  bool           `json:"strict_vin"`
}

// bankAccountDoc is how a dealer's bank account is kept inside dealerDoc.
type bankAccountDoc struct {
	BankName          string `json:"bank_name,omitempty"`
	BIC               string `json:"bic,omitempty"`
	Account           string `json:"account,omitempty"`
	CorrespondentAcct string `json:"correspondent_account,omitempty"`
}

func dealerDocOf(d crm.Dealer) dealerDoc {
	return dealerDoc{ID: d.ID, DealerID: d.DealerID, Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		Name: d.Name, LegalName: d.LegalName, TaxID: d.TaxID, TaxRegCode: d.TaxRegCode, RegNumber: d.RegNumber,
		Address: addressDocOf(d.Address), Bank: bankAccountDoc{BankName: d.Bank.BankName, BIC: d.Bank.BIC,
			Account: d.Bank.Account, CorrespondentAcct: d.Bank.CorrespondentAcct},
		Phone: d.Phone, Email: d.Email, Currency: string(d.Currency), StrictVIN: d.StrictVIN}
}

// value returns the dealer without its metadata, which the caller reads from the columns.
func (d dealerDoc) value() crm.Dealer {
	return crm.Dealer{Name: d.Name, LegalName: d.LegalName, TaxID: d.TaxID, TaxRegCode: d.TaxRegCode,
		RegNumber: d.RegNumber, Address: d.Address.value(), Bank: crm.BankAccount{BankName: d.Bank.BankName,
			BIC: d.Bank.BIC, Account: d.Bank.Account, CorrespondentAcct: d.Bank.CorrespondentAcct},
		Phone: d.Phone, Email: d.Email, Currency: crm.Currency(d.Currency), StrictVIN: d.StrictVIN}
}

package crm

import (
	"context"
	"time"
)

// BankAccount holds a dealer's bank requisites as printed on a contract.
type BankAccount struct {
	BankName          string `json:"bank_name,omitempty"`
	BIC               string `json:"bic,omitempty"`
	Account           string `json:"account,omitempty"`
	CorrespondentAcct string `json:"correspondent_account,omitempty"`
}

// Dealer is a dealership: a legal entity with its requisites. Its Meta.DealerID equals its own ID.
type Dealer struct {
	Meta
	Name       string      `json:"name"`                   // trading name, e.g. "Дилерский центр Север"
	LegalName  string      `json:"legal_name"`             // e.g. "ООО «Север-Авто»"
	TaxID      string      `json:"tax_id,omitempty"`       // INN
	TaxRegCode string      `json:"tax_reg_code,omitempty"` // KPP
	RegNumber  string      `json:"reg_number,omitempty"`   // OGRN
	Address    Address     `json:"address"`
	Bank       BankAccount `json:"bank"`
	Phone      string      `json:"phone,omitempty"`
	Email      string      `json:"email,omitempty"` // the corporate mailbox notices are sent from
	Currency   Currency    `json:"currency"`        // the dealer's default currency
	// StrictVIN selects the VIN policy: true requires the North-American check digit, false checks the
	// ISO 3779 structure only (European and Russian-market VINs often carry no check digit).
	StrictVIN bool `json:"strict_vin"`
}

// NewDealer validates and builds a dealer created at now.
func NewDealer(d Dealer, now time.Time) (Dealer, error) {
	var p Problems
	p.Require("name", d.Name)
	p.Require("legal_name", d.LegalName)
	if d.Email != "" && !validEmail(d.Email) {
		p.Add("email", "is not an e-mail address")
	}
	if d.Currency == "" {
		d.Currency = "RUB"
	} else if c, err := ParseCurrency(string(d.Currency)); err != nil {
		p.Add("currency", "is not an ISO 4217 code")
	} else {
		d.Currency = c
	}
	if err := p.Err("crm.NewDealer"); err != nil {
		return Dealer{}, err
	}
	d.Meta = NewMeta(ID{}, now)
	d.DealerID = d.ID
	return d, nil
}

// DealerStore keeps dealers. Unlike other stores it is not scoped by the context's dealer: it is how a
// dealer is found in the first place.
type DealerStore interface {
	// Get returns the dealer; KindNotFound if there is none.
	Get(ctx context.Context, id ID) (Dealer, error)
	// Create saves a new dealer and sets its Version to 1; KindConflict if the ID exists.
	Create(ctx context.Context, d *Dealer) error
	// Update saves d if d.Version is the stored version and bumps it; KindStaleVersion otherwise,
	// KindNotFound if missing.
	Update(ctx context.Context, d *Dealer) error
	// List returns every dealer ordered by name.
	List(ctx context.Context) ([]Dealer, error)
}

package httpapi

import (
	"github.com/dealercrm/dealercrm/crm"
)

// customerIn is the body of POST /api/v1/customers (and, merged, of PATCH).
type customerIn struct {
	contactIn
	ExternalID string              `json:"external_id,omitempty" doc:"the customer's ID in your own system; unique per dealer (409 duplicate when taken)"`
	TaxID      string              `json:"tax_id,omitempty" doc:"INN"`
	BirthDate  string              `json:"birth_date,omitempty" format:"date" doc:"YYYY-MM-DD"`
	Document   *identityDocumentIO `json:"document,omitempty" doc:"the identity document a person signs a contract with"`
	Address    *addressIO          `json:"address,omitempty"`
}

// identityDocumentIO is an identity document.
type identityDocumentIO struct {
	Type     string `json:"type,omitempty" doc:"e.g. passport_ru"`
	Series   string `json:"series,omitempty" max:"20"`
	Number   string `json:"number,omitempty" max:"30"`
	IssuedBy string `json:"issued_by,omitempty" max:"300"`
	IssuedOn string `json:"issued_on,omitempty" format:"date" doc:"YYYY-MM-DD"`
}

// addressIO is a postal address.
type addressIO struct {
	Country    string `json:"country,omitempty" max:"100"`
	Region     string `json:"region,omitempty" max:"200"`
	City       string `json:"city,omitempty" max:"200"`
	Street     string `json:"street,omitempty" max:"500"`
	PostalCode string `json:"postal_code,omitempty" max:"20"`
}

// canonical is the customer the body describes (a full name split into its parts).
func (in customerIn) canonical() any { return in.customer() }

func (in customerIn) customer() crm.Customer {
	c := crm.Customer{Contact: in.contact(), ExternalID: in.ExternalID, TaxID: in.TaxID, BirthDate: in.BirthDate}
	if in.Document != nil {
		c.Document = crm.IdentityDocument(*in.Document)
	}
	if in.Address != nil {
		c.Address = crm.Address(*in.Address)
	}
	return c
}

func customerInOf(c crm.Customer) customerIn {
	in := customerIn{contactIn: contactInOf(c.Contact), ExternalID: c.ExternalID, TaxID: c.TaxID, BirthDate: c.BirthDate}
	if !c.Document.IsZero() {
		d := identityDocumentIO(c.Document)
		in.Document = &d
	}
	if c.Address != (crm.Address{}) {
		a := addressIO(c.Address)
		in.Address = &a
	}
	return in
}

// customerOut is a customer as responses show it.
type customerOut struct {
	ID      crm.ID `json:"id"`
	Version int64  `json:"version"`
	contactOut
	ExternalID string             `json:"external_id,omitempty"`
	TaxID      string             `json:"tax_id,omitempty"`
	BirthDate  string             `json:"birth_date,omitempty" format:"date"`
	Document   identityDocumentIO `json:"document"`
	Address    addressIO          `json:"address"`
	CreatedAt  stamp              `json:"created_at"`
	UpdatedAt  stamp              `json:"updated_at"`
}

func customerView(c crm.Customer) customerOut {
	return customerOut{ID: c.ID, Version: c.Version, contactOut: contactView(c.Contact), ExternalID: c.ExternalID, TaxID: c.TaxID,
		BirthDate: c.BirthDate, Document: identityDocumentIO(c.Document), Address: addressIO(c.Address), CreatedAt: stampOf(c.CreatedAt),
		UpdatedAt: stampOf(c.UpdatedAt)}
}

// documentOut is a stored document (a generated contract).
type documentOut struct {
	ID          crm.ID `json:"id"`
	Version     int64  `json:"version"`
	Kind        string `json:"kind" doc:"e.g. purchase_contract"`
	SubjectID   crm.ID `json:"subject_id" doc:"the record it belongs to (a sale)"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	ContentURL  string `json:"content_url"`
	CreatedAt   stamp  `json:"created_at"`
}

func documentView(d crm.Document) documentOut {
	return documentOut{ID: d.ID, Version: d.Version, Kind: d.Kind, SubjectID: d.SubjectID, Name: d.Name,
		ContentType: d.ContentType, Size: d.Size, SHA256: d.SHA256, ContentURL: "/api/v1/documents/" + d.ID.String() + "/content",
		CreatedAt: stampOf(d.CreatedAt)}
}

// customerMergeIn is the body of POST /api/v1/customers/{id}/merge.
type customerMergeIn struct {
	DuplicateID      crm.ID `json:"duplicate_id" doc:"the duplicate customer, deleted by the merge"`
	DuplicateVersion int64  `json:"duplicate_version,omitempty" doc:"the duplicate's version as read; absent or 0: any"`
}

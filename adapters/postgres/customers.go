package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/lib/pq"
)

// identityDocumentDoc is how a customer's identity document is kept in customers.document: the adapter's own
// format, independent of the domain type (the keys are the ones stored since migration 001).
type identityDocumentDoc struct {
	Type     string `json:"type,omitempty"`
	Series   string `json:"series,omitempty"`
	Number   string `json:"number,omitempty"`
	IssuedBy string `json:"issued_by,omitempty"`
	IssuedOn string `json:"issued_on,omitempty"`
}

// addressDoc is how a postal address is kept in a jsonb column.
type addressDoc struct {
	Country    string `json:"country,omitempty"`
	Region     string `json:"region,omitempty"`
	City       string `json:"city,omitempty"`
	Street     string `json:"street,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
}

func identityDocumentDocOf(d crm.IdentityDocument) identityDocumentDoc {
	return identityDocumentDoc{Type: d.Type, Series: d.Series, Number: d.Number, IssuedBy: d.IssuedBy, IssuedOn: d.IssuedOn}
}

func (d identityDocumentDoc) value() crm.IdentityDocument {
	return crm.IdentityDocument{Type: d.Type, Series: d.Series, Number: d.Number, IssuedBy: d.IssuedBy, IssuedOn: d.IssuedOn}
}

func addressDocOf(a crm.Address) addressDoc {
	return addressDoc{Country: a.Country, Region: a.Region, City: a.City, Street: a.Street, PostalCode: a.PostalCode}
}

func (a addressDoc) value() crm.Address {
	return crm.Address{Country: a.Country, Region: a.Region, City: a.City, Street: a.Street, PostalCode: a.PostalCode}
}

// customerTable is the row of a customer: one column per field that is searched (phones, emails) or checked, the
// identity document and address as adapter-owned documents.
var customerTable = table[crm.Customer]{
	name: "customers",
	cols: []string{"kind", "first_name", "middle_name", "last_name", "company_name", "phones", "emails", "tax_id",
		"birth_date", "document", "address", "external_id", "consents"},
	meta: func(c *crm.Customer) *crm.Meta { return &c.Meta },
	args: func(c *crm.Customer) []any {
		return []any{string(c.Kind), c.FirstName, c.MiddleName, c.LastName, c.CompanyName, pq.StringArray(nonNil(c.Phones)),
			pq.StringArray(nonNil(c.Emails)), c.TaxID, c.BirthDate, jsonb{identityDocumentDocOf(c.Document)},
			jsonb{addressDocOf(c.Address)}, c.ExternalID, jsonb{consentDocsOf(c.Consents)}}
	},
	scan: func(c *crm.Customer) ([]any, func()) {
		var (
			kind string
			doc  identityDocumentDoc
			addr addressDoc
			cons []consentDoc
		)
		return []any{&kind, &c.FirstName, &c.MiddleName, &c.LastName, &c.CompanyName, (*pq.StringArray)(&c.Phones),
				(*pq.StringArray)(&c.Emails), &c.TaxID, &c.BirthDate, jsonb{&doc}, jsonb{&addr}, &c.ExternalID, jsonb{&cons}}, func() {
				c.Kind, c.Document, c.Address = crm.PartyKind(kind), doc.value(), addr.value()
				c.Consents = consentsOf(cons)
				if len(c.Phones) == 0 {
					c.Phones = nil
				}
				if len(c.Emails) == 0 {
					c.Emails = nil
				}
			}
	},
}

type customerStore struct{ t *Tx }

// Customers returns the customer store of this unit of work.
func (t *Tx) Customers() crm.CustomerStore { return customerStore{t} }

func (s customerStore) Get(ctx context.Context, id crm.ID) (crm.Customer, error) {
	return customerTable.get(ctx, s.t, id)
}

func (s customerStore) Create(ctx context.Context, c *crm.Customer) error {
	return customerTable.create(ctx, s.t, c)
}

func (s customerStore) Update(ctx context.Context, c *crm.Customer) error {
	return customerTable.update(ctx, s.t, c)
}

func (s customerStore) Delete(ctx context.Context, id crm.ID, version int64) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `DELETE FROM customers WHERE id = $1 AND dealer_id = $2 AND version = $3`, id, d, version)
	return s.t.updated(ctx, "postgres.Customers.Delete", "customers", id, d, res, err)
}

func (s customerStore) FindByContact(ctx context.Context, phone, email string) ([]crm.Customer, error) {
	if phone == "" && email == "" {
		return nil, nil
	}
	return customerTable.list(ctx, s.t, `($2 <> '' AND phones @> ARRAY[$2]) OR ($3 <> '' AND emails @> ARRAY[$3])`,
		"created_at, id", phone, email)
}

func (s customerStore) List(ctx context.Context, after crm.ID, limit int) ([]crm.Customer, error) {
	return customerTable.page(ctx, s.t, after, limit)
}

// GetByExternalID implements crm.CustomerStore.GetByExternalID.
func (s customerStore) GetByExternalID(ctx context.Context, externalID string) (crm.Customer, error) {
	cs, err := customerTable.list(ctx, s.t, `external_id = $2 AND external_id <> ''`, "id", externalID)
	if err != nil {
		return crm.Customer{}, err
	}
	if len(cs) == 0 {
		return crm.Customer{}, crm.NotFound("postgres.Customers.GetByExternalID", "no customer with external ID %q", externalID)
	}
	return cs[0], nil
}

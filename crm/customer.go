package crm

import (
	"context"
	"strings"
	"time"
)

// PartyKind says whether a customer or contact is a person or a company.
type PartyKind string

// Party kinds.
const (
	Person  PartyKind = "person"
	Company PartyKind = "company"
)

// IdentityDocument is the document a person signs a contract with (a passport, say).
type IdentityDocument struct {
	Type     string `json:"type,omitempty"` // e.g. "passport_ru"
	Series   string `json:"series,omitempty"`
	Number   string `json:"number,omitempty"`
	IssuedBy string `json:"issued_by,omitempty"`
	IssuedOn string `json:"issued_on,omitempty"` // YYYY-MM-DD
}

// IsZero reports whether no document is recorded.
func (d IdentityDocument) IsZero() bool { return d == IdentityDocument{} }

// Contact is how to reach a person or company: a name and normalised phones and e-mails.
type Contact struct {
	Kind        PartyKind `json:"kind"`
	FirstName   string    `json:"first_name,omitempty"`
	MiddleName  string    `json:"middle_name,omitempty"` // patronymic
	LastName    string    `json:"last_name,omitempty"`
	CompanyName string    `json:"company_name,omitempty"`
	Phones      []string  `json:"phones,omitempty"`
	Emails      []string  `json:"emails,omitempty"`
	// Consents are the contact's word on being reached by e-mail or SMS for service notices and marketing
	// (see Consents.Allows); stamped and merged with the stored ones by Consents.Settle.
	Consents Consents `json:"consents,omitempty"`
}

// FullName returns the name as printed: "Петров Иван Сергеевич" order is left to documents; this is
// "First Middle Last" for a person and the company name for a company.
func (c Contact) FullName() string {
	if c.Kind == Company {
		return c.CompanyName
	}
	return strings.Join(strings.Fields(c.FirstName+" "+c.MiddleName+" "+c.LastName), " ")
}

// SplitFullName fills first, middle and last name from one "full name" string: one word is a first name, two
// are first and last, three or more are first, middle and last.
func SplitFullName(full string) (first, middle, last string) {
	w := strings.Fields(full)
	switch len(w) {
	case 0:
	case 1:
		first = w[0]
	case 2:
		first, last = w[0], w[1]
	default:
		first, middle, last = w[0], strings.Join(w[1:len(w)-1], " "), w[len(w)-1]
	}
	return
}

// Normalize validates the contact and normalises phones and e-mails in place; field names are prefixed with
// prefix. At least a name and one way to reach the party are required.
func (c *Contact) Normalize(p *Problems, prefix string) {
	if c.Kind == "" {
		c.Kind = Person
	}
	switch c.Kind {
	case Person:
		if !hasLetter(c.FirstName + c.LastName) {
			p.Add(prefix+"name", "is required")
		}
	case Company:
		p.Require(prefix+"company_name", c.CompanyName)
	default:
		p.Add(prefix+"kind", "must be person or company")
	}
	phones := c.Phones[:0:0]
	for _, ph := range c.Phones {
		if strings.TrimSpace(ph) == "" {
			continue
		}
		n := NormalizePhone(ph)
		if n == "" {
			p.Add(prefix+"phone", "%q is not a phone number", ph)
			continue
		}
		phones = appendUnique(phones, n)
	}
	emails := c.Emails[:0:0]
	for _, e := range c.Emails {
		if strings.TrimSpace(e) == "" {
			continue
		}
		n := NormalizeEmail(e)
		if n == "" {
			p.Add(prefix+"email", "%q is not an e-mail address", e)
			continue
		}
		emails = appendUnique(emails, n)
	}
	c.Phones, c.Emails = phones, emails
	c.Consents.check(p, prefix)
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// Customer is a person or company who buys, owns or services a car at the dealer.
type Customer struct {
	Meta
	Contact
	// ExternalID is the customer's ID in the embedder's own system: unique per dealer when set.
	ExternalID string           `json:"external_id,omitempty"`
	TaxID      string           `json:"tax_id,omitempty"` // INN of a company or an individual
	BirthDate  string           `json:"birth_date,omitempty"`
	Document   IdentityDocument `json:"document"`
	Address    Address          `json:"address"`
}

// EarliestDate is the earliest birth date or document issue date a customer record accepts.
var EarliestDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// checkCustomerDates records a birth date or document issue date that is not a real date (YYYY-MM-DD), lies
// before EarliestDate or after today (now's date), or a document issued before its holder was born.
func checkCustomerDates(p *Problems, c Customer, now time.Time) {
	birth, bornOK := checkPastDate(p, "birth_date", c.BirthDate, now)
	issued, issuedOK := checkPastDate(p, "document.issued_on", c.Document.IssuedOn, now)
	if bornOK && issuedOK && !birth.IsZero() && !issued.IsZero() && issued.Before(birth) {
		p.Add("document.issued_on", "is before the birth date")
	}
}

// checkPastDate parses an optional date and records it when it is not a real date between EarliestDate and now.
func checkPastDate(p *Problems, field, s string, now time.Time) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	d, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		p.Add(field, "%q is not a date (YYYY-MM-DD)", s)
	case d.Before(EarliestDate):
		p.Add(field, "must not be before %s", EarliestDate.Format(time.DateOnly))
	case !now.IsZero() && d.After(now):
		p.Add(field, "must not be in the future")
	default:
		return d, true
	}
	return time.Time{}, false
}

// NewCustomer validates and builds a customer of dealer, created at now.
func NewCustomer(dealer ID, c Customer, now time.Time) (Customer, error) {
	var p Problems
	c.Contact.Normalize(&p, "")
	NormalizeExternalID(&p, "external_id", &c.ExternalID)
	if len(c.Phones) == 0 && len(c.Emails) == 0 {
		p.Add("phone", "a phone or an e-mail is required")
	}
	checkCustomerDates(&p, c, now)
	c.Consents.CheckAt(&p, "", now)
	if err := p.Err("crm.NewCustomer"); err != nil {
		return Customer{}, err
	}
	c.Consents = c.Consents.Settle(nil, now)
	c.Meta = NewMeta(dealer, now)
	return c, nil
}

// Clone returns a deep copy.
func (c Customer) Clone() Customer {
	c.Phones = append([]string(nil), c.Phones...)
	c.Emails = append([]string(nil), c.Emails...)
	c.Consents = c.Consents.Clone()
	return c
}

// CustomerStore keeps customers of the context's dealer.
type CustomerStore interface {
	// Get returns the customer; KindNotFound if missing or of another dealer.
	Get(ctx context.Context, id ID) (Customer, error)
	// Create saves a new customer (Version becomes 1).
	Create(ctx context.Context, c *Customer) error
	// Update saves c if c.Version is current and bumps it; KindStaleVersion or KindNotFound otherwise.
	Update(ctx context.Context, c *Customer) error
	// FindByContact returns the customers having the normalised phone or e-mail (either may be empty).
	FindByContact(ctx context.Context, phone, email string) ([]Customer, error)
	// List returns customers ordered by ID after the cursor (zero ID: from the start), at most limit.
	List(ctx context.Context, after ID, limit int) ([]Customer, error)
	// Delete removes the customer if version is the stored one; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's. The PostgreSQL adapter refuses (KindConflict) while sales or customer vehicles
	// still name the customer; callers move those first (see customers.Service.MergeCustomers).
	Delete(ctx context.Context, id ID, version int64) error
	// GetByExternalID returns the customer with the external ID; KindNotFound if there is none. Create and Update
	// refuse an external ID another customer of the dealer has: KindConflict with CodeDuplicate.
	GetByExternalID(ctx context.Context, externalID string) (Customer, error)
}

// Absorb takes into c what a duplicate of c knows and c does not: its phones and e-mails are added after c's
// (each once), and its tax ID, birth date, identity document and address fill those c leaves blank. c's name and
// kind stay. It is the contact half of merging duplicates; moving the records that name dup is the caller's.
func (c *Customer) Absorb(dup Customer) {
	for _, p := range dup.Phones {
		c.Phones = appendUnique(c.Phones, p)
	}
	for _, e := range dup.Emails {
		c.Emails = appendUnique(c.Emails, e)
	}
	c.Consents = c.Consents.Latest(dup.Consents)
	if c.TaxID == "" {
		c.TaxID = dup.TaxID
	}
	if c.BirthDate == "" {
		c.BirthDate = dup.BirthDate
	}
	if c.Document.IsZero() {
		c.Document = dup.Document
	}
	if c.Address == (Address{}) {
		c.Address = dup.Address
	}
}

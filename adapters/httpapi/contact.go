package httpapi

import (
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// contactIn is a person or company as a request names it. name is the full name ("Иван Сергеевич Петров"),
// split into first, middle and last name when those are not given; phone and email are the first of phones and
// emails.
type contactIn struct {
	Kind        string   `json:"kind,omitempty" enum:"PartyKind" doc:"person (default) or company"`
	Name        string   `json:"name,omitempty" max:"200" doc:"the full name; for a company, its name"`
	FirstName   string   `json:"first_name,omitempty" max:"100"`
	MiddleName  string   `json:"middle_name,omitempty" max:"100"`
	LastName    string   `json:"last_name,omitempty" max:"100"`
	CompanyName string   `json:"company_name,omitempty" max:"200"`
	Phone       string   `json:"phone,omitempty" max:"32"`
	Email       string   `json:"email,omitempty" max:"254"`
	Phones      []string `json:"phones,omitempty" max:"32"`
	Emails      []string `json:"emails,omitempty" max:"254"`
	// Consents changes the contact's consents it names; the others are kept.
	Consents []consentIn `json:"consents,omitempty" doc:"the contact's word on being reached by e-mail or SMS for service notices or marketing: each entry sets its channel and purpose (the others are kept; repeating the stored word changes nothing)"`
}

// contact builds the kernel's contact (validated later by the domain).
func (c contactIn) contact() crm.Contact {
	out := crm.Contact{Kind: crm.PartyKind(c.Kind), FirstName: c.FirstName, MiddleName: c.MiddleName, LastName: c.LastName,
		CompanyName: c.CompanyName}
	if out.Kind == crm.Company {
		if out.CompanyName == "" {
			out.CompanyName = strings.TrimSpace(c.Name)
		}
	} else if c.Name != "" && c.FirstName == "" && c.MiddleName == "" && c.LastName == "" {
		out.FirstName, out.MiddleName, out.LastName = crm.SplitFullName(c.Name)
	}
	if c.Phone != "" {
		out.Phones = append(out.Phones, c.Phone)
	}
	out.Phones = append(out.Phones, c.Phones...)
	if c.Email != "" {
		out.Emails = append(out.Emails, c.Email)
	}
	out.Emails = append(out.Emails, c.Emails...)
	for _, x := range c.Consents {
		out.Consents = append(out.Consents, x.consent())
	}
	return out
}

// contactInOf is the inverse of contact, for merge patches.
func contactInOf(c crm.Contact) contactIn {
	return contactIn{Kind: string(c.Kind), FirstName: c.FirstName, MiddleName: c.MiddleName, LastName: c.LastName,
		CompanyName: c.CompanyName, Phones: c.Phones, Emails: c.Emails, Consents: consentsInOf(c.Consents)}
}

// contactReplaces says which stored fields a patched contact field replaces (a new name replaces the name
// parts; a new phone replaces the phones).
var contactReplaces = map[string][]string{
	"name":  {"first_name", "middle_name", "last_name"},
	"phone": {"phones"},
	"email": {"emails"},
}

// contactOut is a contact as responses show it.
type contactOut struct {
	Kind        string       `json:"kind" enum:"PartyKind"`
	Name        string       `json:"name"`
	FirstName   string       `json:"first_name,omitempty" max:"100"`
	MiddleName  string       `json:"middle_name,omitempty" max:"100"`
	LastName    string       `json:"last_name,omitempty" max:"100"`
	CompanyName string       `json:"company_name,omitempty" max:"200"`
	Phone       string       `json:"phone,omitempty" doc:"the first phone"`
	Email       string       `json:"email,omitempty" doc:"the first e-mail"`
	Phones      []string     `json:"phones"`
	Emails      []string     `json:"emails"`
	Consents    []consentOut `json:"consents" doc:"one per channel and purpose the contact has given or withdrawn consent for; none recorded: service notices go, marketing does not"`
}

func contactView(c crm.Contact) contactOut {
	out := contactOut{Kind: string(c.Kind), Name: c.FullName(), FirstName: c.FirstName, MiddleName: c.MiddleName,
		LastName: c.LastName, CompanyName: c.CompanyName, Phones: strs(c.Phones), Emails: strs(c.Emails),
		Consents: consentViews(c.Consents)}
	if out.Kind == "" {
		out.Kind = string(crm.Person)
	}
	if len(c.Phones) > 0 {
		out.Phone = c.Phones[0]
	}
	if len(c.Emails) > 0 {
		out.Email = c.Emails[0]
	}
	return out
}

// strs returns s, or an empty slice for nil (JSON [] rather than null).
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return append([]string(nil), s...)
}

// ids returns s, or an empty slice for nil.
func ids(s []crm.ID) []crm.ID {
	if s == nil {
		return []crm.ID{}
	}
	return append([]crm.ID(nil), s...)
}

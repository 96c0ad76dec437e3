package leads

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/dealercrm/dealercrm/crm"
)

// PhoneSearchDigits turns a phone typed in any usual form into the digits a lead's phone must end with: "8 916
// 123-45-67", "+7 916 123-45-67" and "916-123-45-67" all give "9161234567", and "123-45-67" (the last seven digits)
// gives "1234567". A Russian number's 7 or 8 trunk prefix is dropped. ok is false with fewer than seven digits.
func PhoneSearchDigits(s string) (digits string, ok bool) {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) == 11 && (d[0] == '7' || d[0] == '8') {
		d = d[1:]
	}
	return d, len(d) >= 7
}

// PhoneMatches reports whether the stored (normalised) phone ends with digits from PhoneSearchDigits.
func PhoneMatches(phone, digits string) bool {
	return digits != "" && strings.HasSuffix(strings.TrimPrefix(phone, "+"), digits)
}

// SamePerson reports whether a lead's contact names the same person (or company) as a customer's: the normalised
// names match (case, ё/е, spacing and the order of the parts aside; a person's first and last names must both be
// given) and they share a normalised phone or e-mail. Only then is a lead linked to the customer without a person
// confirming it: a shared family phone under another name is a duplicate to check, not the same buyer.
func SamePerson(lead, customer crm.Contact) bool {
	if !sharesContact(lead, customer) {
		return false
	}
	if lead.Kind == crm.Company || customer.Kind == crm.Company {
		return lead.Kind == customer.Kind && normName(lead.CompanyName) != "" &&
			normName(lead.CompanyName) == normName(customer.CompanyName)
	}
	lf, ll := normName(lead.FirstName), normName(lead.LastName)
	cf, cl := normName(customer.FirstName), normName(customer.LastName)
	if lf == "" || ll == "" {
		return false
	}
	same := (lf == cf && ll == cl) || (lf == cl && ll == cf)
	if lm, cm := normName(lead.MiddleName), normName(customer.MiddleName); same && lm != "" && cm != "" {
		same = lm == cm
	}
	return same
}

func sharesContact(a, b crm.Contact) bool {
	for _, p := range a.Phones {
		for _, q := range b.Phones {
			if n := crm.NormalizePhone(p); n != "" && n == crm.NormalizePhone(q) {
				return true
			}
		}
	}
	for _, e := range a.Emails {
		for _, f := range b.Emails {
			if n := crm.NormalizeEmail(e); n != "" && n == crm.NormalizeEmail(f) {
				return true
			}
		}
	}
	return false
}

// normName lower-cases a name, reads ё as е and keeps letters and digits separated by single spaces.
func normName(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

// LinkCustomer links the lead to customer, a person confirming that they are the same (one of its duplicates, or
// any customer of the dealer). The customer leaves the duplicates to confirm. It returns Invalid naming
// customer_id for a zero ID, ErrLeadClosed for a converted or disqualified lead.
func (l *Lead) LinkCustomer(customer crm.ID, now time.Time) error {
	if customer == (crm.ID{}) {
		return crm.Invalid("leads.Lead.LinkCustomer", crm.FieldError{Field: "customer_id", Message: "is required"})
	}
	if !l.IsOpen() {
		return fmt.Errorf("lead %s is %s: %w", l.ID, l.Stage, ErrLeadClosed)
	}
	l.CustomerID = customer
	var rest []crm.ID
	for _, id := range l.DuplicateCustomerIDs {
		if id != customer {
			rest = append(rest, id)
		}
	}
	l.DuplicateCustomerIDs = rest
	l.UpdatedAt = now
	return nil
}

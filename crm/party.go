package crm

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
)

// Meta is what every stored record carries: its ID, the dealer it belongs to, its version for optimistic
// concurrency (1 after the first save, +1 on every update) and its timestamps (UTC).
type Meta struct {
	ID        ID        `json:"id"`
	DealerID  ID        `json:"dealer_id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Metadata returns the metadata itself; every record embedding Meta has it, so generic code can read any
// record's ID and version.
func (m Meta) Metadata() Meta { return m }

// NewMeta returns the metadata of a new record of dealer, created at now (version 0 until saved).
func NewMeta(dealer ID, now time.Time) Meta {
	now = now.UTC()
	return Meta{ID: NewID(), DealerID: dealer, CreatedAt: now, UpdatedAt: now}
}

// Address is a postal address. Lines may be Cyrillic.
type Address struct {
	Country    string `json:"country,omitempty"`
	Region     string `json:"region,omitempty"`
	City       string `json:"city,omitempty"`
	Street     string `json:"street,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
}

// String formats the address on one line.
func (a Address) String() string {
	var parts []string
	for _, s := range []string{a.PostalCode, a.Country, a.Region, a.City, a.Street} {
		if strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// NormalizePhone reduces a phone number to "+" and digits ("+7 900 000-00-00" → "+79000000000"); a Russian
// trunk prefix 8 followed by ten digits becomes +7. It returns "" when there are fewer than 5 digits.
func NormalizePhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) < 5 {
		return ""
	}
	if len(d) == 11 && d[0] == '8' && !strings.HasPrefix(strings.TrimSpace(s), "+") {
		d = "7" + d[1:]
	}
	return "+" + d
}

// NormalizeEmail lower-cases and trims an e-mail address; it returns "" when s is not an address.
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return ""
	}
	return s
}

// validEmail reports whether s is a bare e-mail address.
func validEmail(s string) bool { return NormalizeEmail(s) != "" }

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

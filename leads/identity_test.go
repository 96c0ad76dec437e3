package leads_test

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
)

func TestPhoneSearchDigits(t *testing.T) {
	for in, want := range map[string]string{
		"8 916 123-45-67": "9161234567", "+7 916 123-45-67": "9161234567", "916-123-45-67": "9161234567",
		"123-45-67": "1234567", "79161234567": "9161234567", "+44 20 7946 0958": "442079460958",
	} {
		got, ok := leads.PhoneSearchDigits(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
		assert.True(t, leads.PhoneMatches(crm.NormalizePhone("+7 916 123-45-67"), got) == (in != "+44 20 7946 0958"), in)
	}
	_, ok := leads.PhoneSearchDigits("45-67")
	assert.False(t, ok, "fewer than 7 digits")
}

func TestSamePerson(t *testing.T) {
	customer := crm.Contact{FirstName: "Пётр", MiddleName: "Иванович", LastName: "Семёнов", Phones: []string{"+79161234567"},
		Emails: []string{"petr@example.ru"}}
	for _, c := range []struct {
		name string
		lead crm.Contact
		want bool
	}{
		{"same name and phone", crm.Contact{FirstName: "петр", LastName: "СЕМЕНОВ", Phones: []string{"8 916 123-45-67"}}, true},
		{"same name and e-mail", crm.Contact{FirstName: "Пётр", LastName: "Семёнов", Emails: []string{"Petr@Example.ru"}}, true},
		{"name parts swapped", crm.Contact{FirstName: "Семёнов", LastName: "Пётр", Phones: []string{"+79161234567"}}, true},
		{"shared family phone, another name", crm.Contact{FirstName: "Мария", LastName: "Семёнова", Phones: []string{"+79161234567"}}, false},
		{"same name, no shared contact", crm.Contact{FirstName: "Пётр", LastName: "Семёнов", Phones: []string{"+79160000000"}}, false},
		{"first name only", crm.Contact{FirstName: "Пётр", Phones: []string{"+79161234567"}}, false},
		{"another patronymic", crm.Contact{FirstName: "Пётр", MiddleName: "Петрович", LastName: "Семёнов", Phones: []string{"+79161234567"}}, false},
	} {
		assert.Equal(t, c.want, leads.SamePerson(c.lead, customer), c.name)
	}
}

package leads_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

func TestParseADFReferenceSample(t *testing.T) {
	ps, err := leads.ParseADF(bytes.NewReader(readFile(t, "sample.xml")))
	require.NoError(t, err)
	require.Len(t, ps, 1)
	p := ps[0]
	assert.Equal(t, "new", p.Status)
	assert.Equal(t, leads.ProspectID{Text: "1001", Source: "dealer-site", Sequence: "1001"}, p.ID)
	assert.True(t, p.RequestDate.Equal(time.Date(2026, 11, 26, 7, 15, 0, 0, time.UTC)), "%v", p.RequestDate)
	assert.Equal(t, "2026-11-26T10:15:00+03:00", p.RequestDateRaw)
	require.Len(t, p.Vehicles, 2)
	assert.Equal(t, leads.VehicleOfInterest{Interest: "test-drive", Status: "new", Year: 2026, Make: "Lada", Model: "Vesta", Trim: "Comfort"}, p.Vehicles[0])
	rio := p.Vehicles[1]
	assert.Equal(t, "trade-in", rio.Interest)
	assert.Equal(t, "used", rio.Status)
	assert.Equal(t, 84000, rio.Odometer)
	assert.Equal(t, "km", rio.OdometerUnits)
	require.NotNil(t, rio.Price)
	assert.Equal(t, "900000.00 RUB", rio.Price.String())
	assert.Equal(t, "asking", rio.PriceType)
	c := p.Customer
	assert.Equal(t, crm.Contact{Kind: crm.Person, FirstName: "Иван", LastName: "Петров", Emails: []string{"ivan@example.org"},
		Phones: []string{"+7 900 000-00-00"}}, c.Contact)
	assert.Equal(t, "2026-11-28", c.EarliestDate)
	assert.Equal(t, "Тест-драйв в субботу утром", c.Comments)
	assert.Equal(t, "Дилерский центр Север", p.Vendor)
	assert.Equal(t, "Dealer website (Web form)", p.Provider)

	l := p.Draft("RUB")
	assert.Equal(t, leads.SourceImport, l.Source)
	assert.Equal(t, leads.NeedCarPurchase, l.NeedType)
	assert.True(t, l.TestDriveRequested)
	assert.Equal(t, leads.Interest{Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026, Condition: "new"}, l.Interest)
	require.NotNil(t, l.TradeIn)
	assert.Equal(t, "Rio", l.TradeIn.Model)
	assert.Len(t, l.Vehicles, 2)
	assert.Equal(t, "Тест-драйв в субботу утром", l.Comments)
	require.NotNil(t, l.External)
	assert.Equal(t, p.Key(), l.External.Key)
	assert.Equal(t, "2026-11-28", l.External.EarliestDate)
	_, err = leads.NewLead(dealer, l, crm.ID{}, epoch)
	assert.NoError(t, err, "the sample makes a valid lead")
}

func TestParseADFDeviations(t *testing.T) {
	ps, err := leads.ParseADF(bytes.NewReader(readFile(t, "deviations.xml")))
	require.NoError(t, err)
	require.Len(t, ps, 2)

	a := ps[0]
	assert.Equal(t, "resend", a.Status)
	assert.Equal(t, "Север-Авто", a.Vendor, "vendor outside the prospect applies to it")
	assert.True(t, a.RequestDate.Equal(time.Date(2000, 3, 30, 23, 30, 20, 0, time.UTC)), "short offset -08:0: %v", a.RequestDate)
	assert.Equal(t, "2000-03-30T15:30:20-08:0", a.RequestDateRaw)
	require.Len(t, a.Vehicles, 1)
	v := a.Vehicles[0]
	assert.Equal(t, "buy", v.Interest)
	assert.Equal(t, "new", v.Status, "ADF's default status")
	assert.Equal(t, "LGWEF4A5XPF000001", v.VIN)
	assert.Equal(t, "2150000.00 RUB", v.Price.String())
	assert.Equal(t, "Белый цвет", v.Comments)
	assert.Equal(t, "Anna", a.Customer.Contact.FirstName)
	assert.Equal(t, "Maria", a.Customer.Contact.MiddleName)
	assert.Equal(t, "Schmidt", a.Customer.Contact.LastName)
	assert.Equal(t, "call after 6pm", a.Customer.Comments, "comments inside contact")

	b := ps[1]
	assert.Equal(t, "Север-Авто", b.Vendor)
	assert.True(t, b.RequestDate.Equal(time.Date(2008, 6, 25, 8, 47, 50, 0, time.UTC)), "one-digit hour: %v", b.RequestDate)
	assert.Equal(t, crm.Company, b.Customer.Contact.Kind)
	assert.Equal(t, "ООО «Ромашка»", b.Customer.Contact.CompanyName)
	sell := b.Vehicles[0]
	assert.Equal(t, 60000, sell.Odometer)
	assert.Equal(t, "mi", sell.OdometerUnits)
	assert.Nil(t, sell.Price)
	assert.Equal(t, "call", sell.PriceRaw)
	l := b.Draft("RUB")
	assert.Equal(t, leads.NeedTradeIn, l.NeedType, "only offers a vehicle")
	assert.False(t, l.TestDriveRequested)
	assert.True(t, l.Interest.IsZero())
	require.NotNil(t, l.TradeIn)
	assert.Equal(t, "Focus", l.TradeIn.Model)
	_, err = leads.NewLead(dealer, l, crm.ID{}, epoch)
	assert.NoError(t, err)
}

func TestDraftNeedTypes(t *testing.T) {
	for _, tc := range []struct {
		interests []string
		need      string
		testDrive bool
	}{
		{[]string{"buy"}, leads.NeedCarPurchase, false},
		{[]string{"lease"}, leads.NeedCarPurchase, false},
		{[]string{"test-drive"}, leads.NeedCarPurchase, true},
		{[]string{"trade-in"}, leads.NeedTradeIn, false},
		{[]string{"sell"}, leads.NeedTradeIn, false},
		{[]string{"trade-in", "buy"}, leads.NeedCarPurchase, false},
		{nil, leads.NeedCarPurchase, false},
	} {
		t.Run(strings.Join(tc.interests, "+"), func(t *testing.T) {
			var p leads.Prospect
			for _, i := range tc.interests {
				p.Vehicles = append(p.Vehicles, leads.VehicleOfInterest{Interest: i, Make: "M"})
			}
			l := p.Draft("RUB")
			assert.Equal(t, tc.need, l.NeedType)
			assert.Equal(t, tc.testDrive, l.TestDriveRequested)
		})
	}
}

func TestParseADFInterestSpellings(t *testing.T) {
	doc := `<adf><prospect><vehicle interest="Trade In"/><vehicle interest="TESTDRIVE"/><vehicle/>` +
		`<customer><contact><name>X</name><email>x@example.org</email></contact></customer></prospect></adf>`
	ps, err := leads.ParseADF(strings.NewReader(doc))
	require.NoError(t, err)
	var got []string
	for _, v := range ps[0].Vehicles {
		got = append(got, v.Interest)
	}
	assert.Equal(t, []string{"trade-in", "test-drive", "buy"}, got)
}

func TestParseADFKeepsUnreadableContactsAsComments(t *testing.T) {
	doc := `<adf><prospect><customer><contact><name part="full">Олег</name><email>нет почты</email>` +
		`<phone>n/a</phone><phone>+7 900 111-11-11</phone></contact></customer></prospect></adf>`
	ps, err := leads.ParseADF(strings.NewReader(doc))
	require.NoError(t, err)
	c := ps[0].Customer
	assert.Equal(t, []string{"+7 900 111-11-11"}, c.Contact.Phones)
	assert.Empty(t, c.Contact.Emails)
	assert.Contains(t, c.Comments, "e-mail as sent: нет почты")
	assert.Contains(t, c.Comments, "phone as sent: n/a")
}

func TestParseADFRefusesHostileOrBrokenInput(t *testing.T) {
	deep := strings.Repeat("<x>", 40) + strings.Repeat("</x>", 40)
	many := strings.Repeat(`<prospect><customer><contact><name>A</name><email>a@b.cd</email></contact></customer></prospect>`, 501)
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><adf>&lol2;</adf>`, "DOCTYPE"},
		{"external entity", `<!DOCTYPE adf SYSTEM "file:///etc/passwd"><adf/>`, "DOCTYPE"},
		{"lower-case doctype", `<!doctype adf><adf/>`, "DOCTYPE"},
		{"entity alone", `<adf><!ENTITY x "y"></adf>`, "ENTITY"},
		{"too big", "<adf>" + strings.Repeat(" ", leads.MaxADFSize) + "</adf>", "exceeds"},
		{"too deep", "<adf><prospect>" + deep + "</prospect></adf>", "deeper"},
		{"too many prospects", "<adf>" + many + "</adf>", "at most 500"},
		{"no prospect", `<adf></adf>`, "no <prospect>"},
		{"wrong root", `<lead><prospect/></lead>`, "root element"},
		{"not XML", `hello`, "root element"},
		{"empty", ``, "no root element"},
		{"unclosed", `<adf><prospect>`, "well-formed"},
		{"mismatched", `<adf><prospect></adf>`, "well-formed"},
		{"unknown entity", `<adf><prospect>&bogus;</prospect></adf>`, "well-formed"},
		{"unknown charset", `<?xml version="1.0" encoding="KOI8-R"?><adf/>`, "well-formed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := leads.ParseADF(strings.NewReader(tc.doc))
			require.Error(t, err)
			assert.Nil(t, ps)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			fs := crm.FieldsOf(err)
			require.Len(t, fs, 1)
			assert.Equal(t, "document", fs[0].Field)
			assert.Contains(t, fs[0].Message, tc.want)
		})
	}
}

func TestParseADFLatin1(t *testing.T) {
	doc := []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><adf><prospect><customer><contact><name>Jos` + "\xe9" +
		`</name><email>j@example.org</email></contact></customer></prospect></adf>`)
	ps, err := leads.ParseADF(bytes.NewReader(doc))
	require.NoError(t, err)
	assert.Equal(t, "José", ps[0].Customer.Contact.FirstName)
}

func TestProspectKey(t *testing.T) {
	a := leads.Prospect{ID: leads.ProspectID{Text: "1", Source: "s", Sequence: "2"}}
	b := a
	b.ID.Sequence = "3"
	assert.NotEqual(t, a.Key(), b.Key())
	assert.Equal(t, a.Key(), a.Key())
	anonymous := leads.Prospect{Customer: leads.ProspectCustomer{Comments: "x"}}
	assert.True(t, strings.HasPrefix(anonymous.Key(), "adf-sha256:"))
	assert.Equal(t, anonymous.Key(), anonymous.Key())
	// No separator trick makes two different IDs share a key.
	c := leads.Prospect{ID: leads.ProspectID{Text: `1":"2`, Source: "s"}}
	d := leads.Prospect{ID: leads.ProspectID{Text: "1", Source: `s":"2`}}
	assert.NotEqual(t, c.Key(), d.Key())
}

func TestParseADFTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	for in, want := range map[string]time.Time{
		"2026-11-26T10:15:00+03:00":       utc(2026, 11, 26, 7, 15, 0),
		"2000-03-30T15:30:20-08:0":        utc(2000, 3, 30, 23, 30, 20),
		"2008-06-25T8:47:50":              utc(2008, 6, 25, 8, 47, 50),
		"2026-11-28":                      utc(2026, 11, 28, 0, 0, 0),
		"2026-11-26 10:15+0300":           utc(2026, 11, 26, 7, 15, 0),
		"2026-11-26T10:15:00Z":            utc(2026, 11, 26, 10, 15, 0),
		"2026-11-26T10:15:00.5+3":         utc(2026, 11, 26, 7, 15, 0).Add(500 * time.Millisecond),
		"11/26/2026 10:15":                utc(2026, 11, 26, 10, 15, 0),
		"Thu, 26 Nov 2026 10:15:00 +0300": utc(2026, 11, 26, 7, 15, 0),
	} {
		got, ok := leads.ParseADFTime(in)
		assert.True(t, ok, in)
		assert.True(t, got.Equal(want), "%s: got %v, want %v", in, got, want)
	}
	for _, bad := range []string{"", "yesterday", "2026-02-30", "2026-13-01", "2026-11-26T25:00", "2026-11-26T10:15+15:00"} {
		_, ok := leads.ParseADFTime(bad)
		assert.False(t, ok, bad)
	}
}

func FuzzParseADF(f *testing.F) {
	f.Add(readFile(f, "sample.xml"))
	f.Add(readFile(f, "deviations.xml"))
	f.Add([]byte(`<?ADF VERSION="1.0"?><ADF><PROSPECT><REQUESTDATE>2008-06-25T8:47:50</REQUESTDATE></PROSPECT></ADF>`))
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY b "c">]><adf/>`))
	f.Add([]byte(`<adf><prospect><vehicle><price currency="EUR">1,234.50</price><odometer>99999999999</odometer></vehicle></prospect></adf>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		ps, err := leads.ParseADF(bytes.NewReader(doc))
		if err != nil {
			if !errors.Is(err, crm.ErrInvalid) || len(crm.FieldsOf(err)) == 0 {
				t.Fatalf("error of the wrong kind: %v", err)
			}
			if ps != nil {
				t.Fatal("prospects returned with an error")
			}
			return
		}
		if len(ps) == 0 || len(ps) > leads.MaxADFProspects {
			t.Fatalf("%d prospects", len(ps))
		}
		for _, p := range ps {
			l := p.Draft("RUB")
			if l.Source != leads.SourceImport || l.External == nil || l.External.Key == "" {
				t.Fatalf("bad draft %+v", l)
			}
			_, _ = leads.NewLead(dealer, l, crm.ID{}, epoch) // must not panic either
		}
	})
}

package leads

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Limits of ParseADF; a document beyond any of them is refused as invalid.
const (
	MaxADFSize      = 1 << 20 // bytes
	MaxADFDepth     = 32      // element nesting
	MaxADFProspects = 500     // prospects per document
)

// Prospect is one <prospect> of an ADF 1.0 document, as sent. Names, phones and e-mails are not yet normalised;
// Draft turns it into a lead.
type Prospect struct {
	Status         string              `json:"status,omitempty"` // new or resend
	ID             ProspectID          `json:"id"`
	RequestDate    time.Time           `json:"request_date,omitzero"`      // zero when missing or unparseable
	RequestDateRaw string              `json:"request_date_raw,omitempty"` // as sent
	Vehicles       []VehicleOfInterest `json:"vehicles,omitempty"`
	Customer       ProspectCustomer    `json:"customer"`
	Vendor         string              `json:"vendor,omitempty"`   // the dealer as the sender named it
	Provider       string              `json:"provider,omitempty"` // the lead provider (name, and service when given)
}

// ProspectID is a prospect's <id>: its text with the source and sequence attributes, the natural idempotency key.
type ProspectID struct {
	Text     string `json:"text,omitempty"`
	Source   string `json:"source,omitempty"`
	Sequence string `json:"sequence,omitempty"`
}

// ProspectCustomer is a prospect's <customer>.
type ProspectCustomer struct {
	Contact      crm.Contact `json:"contact"`
	Address      crm.Address `json:"address"`
	Comments     string      `json:"comments,omitempty"` // the customer's and the contact's comments
	EarliestDate string      `json:"earliest_date,omitempty"`
	LatestDate   string      `json:"latest_date,omitempty"`
}

// Key returns the prospect's import key: its ID text, source and sequence, or, for a prospect without an ID, a
// hash of its content (so an identical resend is still recognised).
func (p Prospect) Key() string {
	if p.ID.Text != "" {
		return "adf:" + strconv.Quote(p.ID.Source) + ":" + strconv.Quote(p.ID.Text) + ":" + strconv.Quote(p.ID.Sequence)
	}
	b, _ := json.Marshal(p)
	h := sha256.Sum256(b)
	return "adf-sha256:" + hex.EncodeToString(h[:])
}

// Draft returns the unsaved lead the prospect asks for: source import; need type car_purchase when it wants a
// vehicle (buy, lease, test-drive), trade_in when it only offers one (trade-in, sell); the first wanted vehicle as
// the interest; the first offered one as the trade-in; every vehicle kept; the test-drive flag set when it asked
// for one. Prices sent without a currency are taken to be in currency.
func (p Prospect) Draft(currency crm.Currency) Lead {
	l := Lead{Contact: p.Customer.Contact, Source: SourceImport, NeedType: NeedCarPurchase, Comments: p.Customer.Comments}
	var wanted, offered bool
	for _, v := range p.Vehicles {
		v = v.Clone()
		if v.Price != nil && v.Price.Currency == "" {
			v.Price.Currency = currency
		}
		l.Vehicles = append(l.Vehicles, v)
		switch {
		case v.Offered():
			if l.TradeIn == nil {
				t := v.Clone()
				l.TradeIn = &t
			}
			offered = true
		default:
			if !wanted {
				l.Interest = Interest{Make: v.Make, Model: v.Model, Trim: v.Trim, Year: v.Year, Condition: v.Status}
			}
			wanted = true
			if v.Interest == InterestTestDrive {
				l.TestDriveRequested = true
			}
		}
	}
	if offered && !wanted {
		l.NeedType = NeedTradeIn
	}
	l.External = &ExternalRef{Format: "adf", ID: p.ID.Text, Source: p.ID.Source, Sequence: p.ID.Sequence, Key: p.Key(),
		Provider: p.Provider, Vendor: p.Vendor, RequestDate: p.RequestDate, RequestDateRaw: p.RequestDateRaw,
		EarliestDate: p.Customer.EarliestDate, LatestDate: p.Customer.LatestDate}
	return l
}

// ParseADF reads an ADF 1.0 document and returns its prospects. It is tolerant of what real senders do: element
// and attribute names in any case (<?ADF VERSION="1.0"?>), malformed dates (kept as raw text, parsed leniently),
// a <vendor> outside the prospect (it applies to every prospect without one), <comments> inside <contact>, a name
// given only as part="full", HTML entities such as &nbsp;. It refuses, with an Invalid error naming "document",
// what is not well-formed XML or is hostile: any <!DOCTYPE or <!ENTITY, more than MaxADFSize bytes, nesting deeper
// than MaxADFDepth, more than MaxADFProspects prospects, or no prospect at all. It never panics.
func ParseADF(r io.Reader) ([]Prospect, error) {
	if r == nil {
		return nil, adfInvalid("is missing")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxADFSize+1))
	if err != nil {
		return nil, adfInvalid("cannot be read: %v", err)
	}
	if len(data) > MaxADFSize {
		return nil, adfInvalid("exceeds %d bytes", MaxADFSize)
	}
	upper := bytes.ToUpper(data)
	if bytes.Contains(upper, []byte("<!DOCTYPE")) || bytes.Contains(upper, []byte("<!ENTITY")) {
		return nil, adfInvalid("must not contain DOCTYPE or ENTITY declarations")
	}
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	if root.name != "adf" {
		return nil, adfInvalid("root element must be <adf>, not <%s>", root.name)
	}
	var vendor string
	if v := root.child("vendor"); v != nil {
		vendor = vendorName(v)
	}
	prospects := root.children("prospect")
	switch {
	case len(prospects) == 0:
		return nil, adfInvalid("has no <prospect>")
	case len(prospects) > MaxADFProspects:
		return nil, adfInvalid("has %d prospects; at most %d are accepted", len(prospects), MaxADFProspects)
	}
	out := make([]Prospect, 0, len(prospects))
	for _, n := range prospects {
		p := readProspect(n)
		if p.Vendor == "" {
			p.Vendor = vendor
		}
		out = append(out, p)
	}
	return out, nil
}

func adfInvalid(format string, args ...any) error {
	return crm.Invalid("leads.ParseADF", crm.FieldError{Field: "document", Message: fmt.Sprintf(format, args...)})
}

// node is an element of the parsed document: lower-cased name and attribute names, trimmed text.
type node struct {
	name  string
	attrs map[string]string
	text  strings.Builder
	kids  []*node
}

func (n *node) attr(name string) string { return strings.TrimSpace(n.attrs[name]) }

func (n *node) child(name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

func (n *node) children(name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// value returns the trimmed text of the first child called name ("" if none).
func (n *node) value(name string) string {
	if c := n.child(name); c != nil {
		return c.textValue()
	}
	return ""
}

func (n *node) textValue() string { return strings.Join(strings.Fields(n.text.String()), " ") }

// parseTree reads the document's root element, enforcing the depth limit; anything after the root is ignored.
func parseTree(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	var stack []*node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, adfInvalid("has no root element or ends too early")
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, adfInvalid("is not well-formed XML: line %d: %s", se.Line, se.Msg)
			}
			return nil, adfInvalid("is not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= MaxADFDepth {
				return nil, adfInvalid("nests elements deeper than %d", MaxADFDepth)
			}
			n := &node{name: strings.ToLower(t.Name.Local), attrs: make(map[string]string, len(t.Attr))}
			for _, a := range t.Attr {
				n.attrs[strings.ToLower(a.Name.Local)] = a.Value
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.kids = append(parent.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) == 1 {
				return stack[0], nil
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.Directive:
			return nil, adfInvalid("must not contain DOCTYPE or ENTITY declarations")
		}
	}
}

// charsetReader accepts the single-byte encodings senders declare besides UTF-8.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252":
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		var s strings.Builder
		for _, c := range b {
			s.WriteRune(rune(c))
		}
		return strings.NewReader(s.String()), nil
	case "utf8":
		return input, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", charset)
}

func readProspect(n *node) Prospect {
	p := Prospect{Status: strings.ToLower(n.attr("status"))}
	if id := n.child("id"); id != nil {
		p.ID = ProspectID{Text: id.textValue(), Source: id.attr("source"), Sequence: id.attr("sequence")}
	}
	p.RequestDateRaw = n.value("requestdate")
	if t, ok := ParseADFTime(p.RequestDateRaw); ok {
		p.RequestDate = t
	}
	for _, v := range n.children("vehicle") {
		p.Vehicles = append(p.Vehicles, readVehicle(v))
	}
	var comments []string
	if c := n.child("customer"); c != nil {
		p.Customer = readCustomer(c)
	}
	if p.Customer.Comments != "" {
		comments = append(comments, p.Customer.Comments)
	}
	for _, c := range n.children("comments") { // some senders put comments on the prospect itself
		if s := c.textValue(); s != "" {
			comments = append(comments, s)
		}
	}
	p.Customer.Comments = strings.Join(comments, "\n")
	if v := n.child("vendor"); v != nil {
		p.Vendor = vendorName(v)
	}
	if pr := n.child("provider"); pr != nil {
		name := fullName(pr)
		if svc := pr.value("service"); svc != "" {
			if name != "" {
				name += " (" + svc + ")"
			} else {
				name = svc
			}
		}
		p.Provider = name
	}
	return p
}

func vendorName(v *node) string {
	if s := v.value("vendorname"); s != "" {
		return s
	}
	return fullName(v)
}

// fullName returns the text of an element's <name> children joined, whatever their parts.
func fullName(n *node) string {
	var parts []string
	for _, c := range n.children("name") {
		if s := c.textValue(); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// normalizeInterest maps what senders write ("Trade In", "TESTDRIVE") to the ADF values; absent means buy.
func normalizeInterest(s string) string {
	k := strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.ToLower(s))
	switch k {
	case "", "buy", "purchase":
		return InterestBuy
	case "lease":
		return InterestLease
	case "sell":
		return InterestSell
	case "tradein":
		return InterestTradeIn
	case "testdrive":
		return InterestTestDrive
	}
	return strings.ToLower(strings.TrimSpace(s))
}

func readVehicle(n *node) VehicleOfInterest {
	v := VehicleOfInterest{
		Interest:     normalizeInterest(n.attr("interest")),
		Status:       strings.ToLower(n.attr("status")),
		Make:         n.value("make"),
		Model:        n.value("model"),
		VIN:          strings.ToUpper(strings.ReplaceAll(n.value("vin"), " ", "")),
		Stock:        n.value("stock"),
		Trim:         n.value("trim"),
		BodyStyle:    n.value("bodystyle"),
		Transmission: n.value("transmission"),
		Comments:     n.value("comments"),
	}
	if v.Status == "" {
		v.Status = "new"
	}
	if y, err := strconv.Atoi(n.value("year")); err == nil && y > 1885 && y < 3000 {
		v.Year = y
	}
	if o := n.child("odometer"); o != nil {
		v.Odometer = digits(o.textValue())
		v.OdometerUnits = strings.ToLower(o.attr("units"))
	}
	if cc := n.child("colorcombination"); cc != nil {
		v.Color = cc.value("exteriorcolor")
	}
	if pr := n.child("price"); pr != nil {
		v.PriceType = strings.ToLower(pr.attr("type"))
		raw := pr.textValue()
		if m, ok := parsePrice(raw, pr.attr("currency")); ok {
			v.Price = &m
		} else if raw != "" {
			v.PriceRaw = raw
		}
	}
	return v
}

// digits returns the number made of the digits of s ("84,000 km" → 84000), 0 when there are none or too many.
func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			if n > 1e9 {
				return 0
			}
			n = n*10 + int(r-'0')
		}
	}
	return n
}

// parsePrice reads "900000", "900 000", "25,000.00" or "$25000" in currency (may be blank: the caller decides).
func parsePrice(raw, currency string) (crm.Money, bool) {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',', r == '-':
			return r
		}
		return -1
	}, raw)
	if s == "" || len(s) > 40 {
		return crm.Money{}, false
	}
	switch {
	case strings.Contains(s, ",") && strings.Contains(s, "."):
		s = strings.ReplaceAll(s, ",", "")
	case strings.Count(s, ",") == 1 && len(s)-strings.Index(s, ",") != 4:
		s = strings.Replace(s, ",", ".", 1) // a decimal comma: "1234,50"
	default:
		s = strings.ReplaceAll(s, ",", "")
	}
	cur := strings.TrimSpace(currency)
	if cur == "" {
		d, err := crm.ParseAmount("price", s, "")
		if err != nil {
			return crm.Money{}, false
		}
		return crm.Money{Amount: d}, true
	}
	m, err := crm.ParseMoney("price", s, cur)
	if err != nil {
		return crm.Money{}, false
	}
	return m, true
}

func readCustomer(n *node) ProspectCustomer {
	var c ProspectCustomer
	var comments []string
	if ct := n.child("contact"); ct != nil {
		c.Contact = readContact(ct, &comments)
		for _, cm := range ct.children("comments") {
			if s := cm.textValue(); s != "" {
				comments = append(comments, s)
			}
		}
		if a := ct.child("address"); a != nil {
			c.Address = readAddress(a)
		}
	}
	for _, cm := range n.children("comments") {
		if s := cm.textValue(); s != "" {
			comments = append(comments, s)
		}
	}
	c.Comments = strings.Join(comments, "\n")
	if tf := n.child("timeframe"); tf != nil {
		c.EarliestDate, c.LatestDate = tf.value("earliestdate"), tf.value("latestdate")
	}
	return c
}

// readContact reads a <contact>; phones and e-mails that are not one are not dropped silently but added to
// unreadable, which ends up in the lead's comments.
func readContact(n *node, unreadable *[]string) crm.Contact {
	var c crm.Contact
	var full []string
	business := false
	for _, nm := range n.children("name") {
		s := nm.textValue()
		if s == "" {
			continue
		}
		if strings.EqualFold(nm.attr("type"), "business") {
			business = true
		}
		switch strings.ToLower(nm.attr("part")) {
		case "first":
			c.FirstName = s
		case "middle":
			c.MiddleName = s
		case "last":
			c.LastName = s
		case "suffix", "title":
		default: // "full" or no part at all
			full = append(full, s)
		}
	}
	if business {
		c.Kind = crm.Company
		c.CompanyName = strings.Join(full, " ")
		if c.CompanyName == "" {
			c.CompanyName = strings.Join(strings.Fields(c.FirstName+" "+c.MiddleName+" "+c.LastName), " ")
			c.FirstName, c.MiddleName, c.LastName = "", "", ""
		}
	} else {
		c.Kind = crm.Person
		if c.FirstName == "" && c.LastName == "" && len(full) > 0 {
			c.FirstName, c.MiddleName, c.LastName = crm.SplitFullName(strings.Join(full, " "))
		}
	}
	for _, e := range n.children("email") {
		if s := e.textValue(); s != "" {
			if crm.NormalizeEmail(s) != "" {
				c.Emails = append(c.Emails, s)
			} else {
				*unreadable = append(*unreadable, "e-mail as sent: "+s)
			}
		}
	}
	for _, ph := range n.children("phone") {
		if s := ph.textValue(); s != "" {
			if crm.NormalizePhone(s) != "" {
				c.Phones = append(c.Phones, s)
			} else {
				*unreadable = append(*unreadable, "phone as sent: "+s)
			}
		}
	}
	return c
}

func readAddress(n *node) crm.Address {
	var street []string
	for _, s := range n.children("street") {
		if t := s.textValue(); t != "" {
			street = append(street, t)
		}
	}
	return crm.Address{Street: strings.Join(street, ", "), City: n.value("city"), Region: n.value("regioncode"),
		PostalCode: n.value("postalcode"), Country: n.value("country")}
}

package layout

import (
	"bytes"
	_ "embed" // the default contract template
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// ContractTemplate is the text of the default purchase contract template (Russian wording). Embedders who want
// their own wording copy it, edit it and pass it to NewTemplate.
//
//go:embed contract.tmpl
var ContractTemplate string

// Template turns a sales.Contract into a Document: it runs a Go template over the contract and parses what
// the template writes as the layout language. It is safe for concurrent use.
//
// The template is parsed with html/template, so it has text/template's syntax and every value it prints is
// escaped: a buyer called "<b>Иван</b>" prints those characters and cannot inject layout elements.
type Template struct {
	t *template.Template
}

// NewTemplate parses text (see ContractTemplate for an example) with the functions of Funcs.
func NewTemplate(name, text string) (*Template, error) {
	t, err := template.New(name).Funcs(Funcs()).Parse(text)
	if err != nil {
		return nil, crm.E(crm.KindInvalid, "layout.NewTemplate", err)
	}
	return &Template{t: t}, nil
}

var defaultContract = sync.OnceValue(func() *Template {
	t, err := NewTemplate("contract", ContractTemplate)
	if err != nil {
		panic(err) // the embedded template is tested
	}
	return t
})

// DefaultContract returns the template of the default purchase contract, parsed from ContractTemplate.
func DefaultContract() *Template { return defaultContract() }

// Build runs the template over c and parses the result. Errors (a failing template, a malformed layout) are
// returned with the template's name. A nil template is the default contract (DefaultContract).
func (t *Template) Build(c sales.Contract) (Document, error) {
	if t == nil {
		t = DefaultContract()
	}
	var buf bytes.Buffer
	if err := t.t.Execute(&buf, c); err != nil {
		return Document{}, fmt.Errorf("layout: template %s: %w", t.t.Name(), err)
	}
	doc, err := Parse(&buf)
	if err != nil {
		return Document{}, fmt.Errorf("layout: template %s: %w", t.t.Name(), err)
	}
	return doc, nil
}

// Funcs returns the functions templates may call besides the built-in ones:
//
//	money     crm.Money → "1 250 000,50 руб."        (FormatMoney)
//	amount    crm.Money → "1 250 000,50"             (FormatAmount)
//	unit      crm.Money → "руб." or the ISO code
//	qty       decimal.Decimal → "1,5"                (FormatQuantity)
//	num       int → "12 500"                         (FormatInt)
//	date      time.Time → "26 ноября 2026 г."        (FormatDate)
//	shortdate time.Time or "2026-11-26" → "26.11.2026" (FormatShortDate)
//	initials  "Петров Иван Сергеевич" → "Петров И. С." (Initials)
//	plural    n one few many → the form for n        (Plural)
//	inc       i → i+1 (numbering from a range index)
//	join      []string, sep → string
//	upper     string → upper case
func Funcs() template.FuncMap {
	return template.FuncMap{
		"money":     FormatMoney,
		"amount":    FormatAmount,
		"unit":      currencyUnit,
		"qty":       FormatQuantity,
		"num":       FormatInt,
		"date":      FormatDate,
		"shortdate": FormatShortDate,
		"initials":  Initials,
		"plural":    Plural,
		"inc":       func(i int) int { return i + 1 },
		"join":      strings.Join,
		"upper":     strings.ToUpper,
	}
}

func currencyUnit(m crm.Money) string {
	if m.Currency == "RUB" {
		return "руб."
	}
	return string(m.Currency)
}

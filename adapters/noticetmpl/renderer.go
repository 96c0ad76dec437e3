// Package noticetmpl renders notice templates (notify.Renderer): the subject and text with text/template, the
// HTML alternative with html/template, which escapes every value by its context, so a customer's name or any
// other fact can never inject markup or a script into the mail. Facts a template names but the message lacks
// print as nothing; a subject is kept to one line.
package noticetmpl

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/internal/boundedmap"
	"github.com/dealercrm/dealercrm/notify"
)

// Renderer is the template renderer. The zero value is ready and parses a template at every Render; a Renderer
// from NewRenderer keeps what it parsed (see NewRenderer).
type Renderer struct {
	// parsed keeps the parts parsed (*texttemplate.Template or *htmltemplate.Template, by partKey.html); nil:
	// parse at every Render.
	parsed *boundedmap.Sync[partKey, any]
}

var _ notify.Renderer = Renderer{}

// NewRenderer returns a Renderer that keeps the templates it parsed, by their text, so that a relay sending the
// same notice to many customers parses each part once instead of once per message. It keeps at most
// MaxParsedTemplates parts and, when full, makes room (drops half of them); a template edited by a dealer is new text, so it is parsed
// anew and never confused with the old one. Safe for concurrent use.
func NewRenderer() Renderer {
	return Renderer{parsed: boundedmap.NewSync[partKey, any](MaxParsedTemplates, nil)}
}

// MaxParsedTemplates bounds how many parsed template parts a Renderer from NewRenderer keeps.
const MaxParsedTemplates = 1024

// partKey names a template part: which package parses it, the field (subject, text, html: the template's name in
// its errors) and its text.
type partKey struct {
	html       bool
	field, src string
}

// parseText and parseHTML parse a part as Render runs it: a fact the message lacks prints as nothing.
func parseText(field, src string) (*texttemplate.Template, error) {
	return texttemplate.New(field).Option("missingkey=zero").Parse(src)
}

func parseHTML(field, src string) (*htmltemplate.Template, error) {
	return htmltemplate.New(field).Option("missingkey=zero").Parse(src)
}

// parsedPart returns k's template parsed by parse: kept by r when r keeps what it parses (a part that does not
// parse is not kept). text/template and html/template templates may execute concurrently once parsed.
func parsedPart[T any](r Renderer, k partKey, parse func(field, src string) (T, error)) (T, error) {
	if r.parsed == nil {
		return parse(k.field, k.src)
	}
	if v, ok := r.parsed.Get(k); ok {
		return v.(T), nil
	}
	t, err := parse(k.field, k.src)
	if err != nil {
		return t, err
	}
	r.parsed.Put(k, t)
	return t, nil
}

// Render executes t over data. A part that does not parse or execute is KindInvalid naming it (subject, text,
// html) with the parser's message.
func (r Renderer) Render(t notify.Template, data map[string]string) (notify.Rendered, error) {
	var p crm.Problems
	subject := r.runText(&p, "subject", t.Subject, data)
	text := r.runText(&p, "text", t.Text, data)
	html := ""
	if t.HTML != "" {
		html = r.runHTML(&p, "html", t.HTML, data)
	}
	if err := p.Err("noticetmpl.Render"); err != nil {
		return notify.Rendered{}, err
	}
	subject = strings.Join(strings.Fields(subject), " ")
	return notify.Rendered{Subject: subject, Text: text, HTML: html}, nil
}

// facts returns data with every key a template may name present ("" when missing), so that a missing fact
// prints as nothing.
func facts(data map[string]string) map[string]string {
	out := make(map[string]string, len(data))
	for k, v := range data {
		out[k] = v
	}
	return out
}

func (r Renderer) runText(p *crm.Problems, field, src string, data map[string]string) string {
	t, err := parsedPart(r, partKey{field: field, src: src}, parseText)
	if err != nil {
		p.Add(field, "does not parse: %s", clean(err.Error()))
		return ""
	}
	var b strings.Builder
	if err := t.Execute(&b, facts(data)); err != nil {
		p.Add(field, "does not render: %s", clean(err.Error()))
		return ""
	}
	return b.String()
}

func (r Renderer) runHTML(p *crm.Problems, field, src string, data map[string]string) string {
	t, err := parsedPart(r, partKey{html: true, field: field, src: src}, parseHTML)
	if err != nil {
		p.Add(field, "does not parse: %s", clean(err.Error()))
		return ""
	}
	var b strings.Builder
	if err := t.Execute(&b, facts(data)); err != nil {
		p.Add(field, "does not render: %s", clean(err.Error()))
		return ""
	}
	return b.String()
}

// clean drops the "template: name:" prefix of a template error.
func clean(s string) string {
	if i := strings.Index(s, ": "); strings.HasPrefix(s, "template: ") && i >= 0 {
		rest := s[len("template: "):]
		if j := strings.Index(rest, ": "); j >= 0 {
			return rest[j+2:]
		}
	}
	return s
}

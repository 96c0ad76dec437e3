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
	"github.com/dealercrm/dealercrm/notify"
)

// Renderer is the template renderer; the zero value is ready.
type Renderer struct{}

var _ notify.Renderer = Renderer{}

// Render executes t over data. A part that does not parse or execute is KindInvalid naming it (subject, text,
// html) with the parser's message.
func (Renderer) Render(t notify.Template, data map[string]string) (notify.Rendered, error) {
	var p crm.Problems
	subject := runText(&p, "subject", t.Subject, data)
	text := runText(&p, "text", t.Text, data)
	html := ""
	if t.HTML != "" {
		html = runHTML(&p, "html", t.HTML, data)
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

func runText(p *crm.Problems, field, src string, data map[string]string) string {
	t, err := texttemplate.New(field).Option("missingkey=zero").Parse(src)
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

func runHTML(p *crm.Problems, field, src string, data map[string]string) string {
	t, err := htmltemplate.New(field).Option("missingkey=zero").Parse(src)
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

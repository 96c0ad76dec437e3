package notify

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// Renderer turns a template and a message's facts into the subject, text and HTML sent. adapters/noticetmpl
// implements it with text/template and html/template, so customer data cannot inject markup.
type Renderer interface {
	// Render executes t over data; a template that does not parse or execute is KindInvalid naming its part.
	Render(t Template, data map[string]string) (Rendered, error)
}

// Rendered is a rendered message.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// content sets p's subject, text and HTML: m's own subject and body unless a template of m's kind renders them.
func (s *Service) content(ctx context.Context, st Stores, m crm.Message, p *deliveryPlan) error {
	t, ok, err := s.templateFor(ctx, st, m, p.box.Language)
	if err != nil || !ok || s.render == nil {
		return err
	}
	r, err := s.render.Render(t, s.facts(m, p))
	if err != nil {
		return crm.Permanent(err)
	}
	p.subject, p.text, p.html = r.Subject, r.Text, r.HTML
	return nil
}

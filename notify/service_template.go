package notify

import (
	"context"
	"errors"
	"slices"

	"github.com/dealercrm/dealercrm/crm"
)

// knownTemplate refuses a kind or language without templates as KindNotFound (they address a template).
func knownTemplate(op string, kind Kind, language string) error {
	if !slices.Contains(Kinds(), kind) || !slices.Contains(Languages(), language) {
		return crm.NotFound(op, "no template of kind %q in language %q", kind, language)
	}
	return nil
}

// GetTemplate returns the template the dealer's notices of kind in language are rendered with: its own, or the
// shipped default (Version 0). KindNotFound for an unknown kind or language.
func (s *Service) GetTemplate(ctx context.Context, kind Kind, language string) (Template, error) {
	const op = "notify.Service.GetTemplate"
	if err := knownTemplate(op, kind, language); err != nil {
		return Template{}, err
	}
	var out Template
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = effectiveTemplate(ctx, st, kind, language)
		return err
	})
	return out, crm.Wrap(op, err)
}

// effectiveTemplate is the dealer's template of kind in language, else the default.
func effectiveTemplate(ctx context.Context, st Stores, kind Kind, language string) (Template, error) {
	t, err := st.Templates().Find(ctx, kind, language)
	if errors.Is(err, crm.ErrNotFound) {
		t, _ = Default(kind, language)
		d, derr := crm.DealerFrom(ctx)
		if derr != nil {
			return Template{}, derr
		}
		t.DealerID = d
		return t, nil
	}
	return t, err
}

// ListTemplates returns, for every kind and language, the template in use: the dealer's own or the default
// (Version 0), by kind and language.
func (s *Service) ListTemplates(ctx context.Context) ([]Template, error) {
	var out []Template
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		out = out[:0] // fn may run more than once
		own, err := st.Templates().List(ctx)
		if err != nil {
			return err
		}
		for _, k := range Kinds() {
			for _, l := range Languages() {
				i := slices.IndexFunc(own, func(t Template) bool { return t.Kind == k && t.Language == l })
				if i >= 0 {
					out = append(out, own[i])
					continue
				}
				t, _ := Default(k, l)
				out = append(out, t)
			}
		}
		return nil
	})
	return out, crm.Wrap("notify.Service.ListTemplates", err)
}

// SaveTemplate stores the dealer's template of in.Kind in in.Language, replacing the default or its earlier
// one. version is the one read (the default's is 0, which also means unconditional); a stale one is
// KindStaleVersion; an unknown kind or language KindNotFound. The template must render over SampleFacts with the service's renderer (KindInvalid naming
// subject, text or html otherwise).
func (s *Service) SaveTemplate(ctx context.Context, version int64, in Template) (Template, error) {
	const op = "notify.Service.SaveTemplate"
	if err := knownTemplate(op, in.Kind, in.Language); err != nil {
		return Template{}, err
	}
	if err := in.Validate(); err != nil {
		return Template{}, crm.Wrap(op, err)
	}
	if _, err := s.PreviewTemplate(in, nil); err != nil {
		return Template{}, crm.Wrap(op, err)
	}
	var out Template
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		cur, err := effectiveTemplate(ctx, st, in.Kind, in.Language)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, cur.Version, version); err != nil {
			return err
		}
		next := cur
		next.Kind, next.Language, next.Subject, next.Text, next.HTML = in.Kind, in.Language, in.Subject, in.Text, in.HTML
		if err := st.Templates().Save(ctx, &next); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, crm.Wrap(op, err)
}

// PreviewTemplate renders t over facts (nil: SampleFacts of its language) without sending anything. A renderer
// that is a TemplateChecker first refuses a template naming a fact its kind does not carry (KindFacts).
func (s *Service) PreviewTemplate(t Template, facts map[string]string) (Rendered, error) {
	const op = "notify.Service.PreviewTemplate"
	if s.render == nil {
		return Rendered{}, crm.Errorf(crm.KindUnavailable, CodeNoMailer, op, "no template renderer is configured")
	}
	if facts == nil {
		facts = SampleFacts(t.Language)
	}
	var p crm.Problems // every part's problems in one answer: an unknown variable in one, a syntax error in another
	if c, ok := s.render.(TemplateChecker); ok {
		p.Merge("", c.Check(t, KindFacts(t.Kind)))
	}
	derived := t.HTML == ""
	if derived {
		t.HTML = htmlOf(t.Text)
	}
	r, err := s.render.Render(t, facts)
	if crm.KindOf(err) == crm.KindInvalid {
		// A part the check named already is not named again by its rendering, nor the HTML made of the text.
		named := map[string]bool{}
		for _, f := range crm.FieldsOf(p.Err(op)) {
			named[f.Field] = true
		}
		var own crm.Problems
		for _, f := range crm.FieldsOf(err) {
			if !named[f.Field] && (f.Field != "html" || !derived) {
				own.Add(f.Field, "%s", f.Message)
			}
		}
		if ownErr := own.Err(op); ownErr != nil || len(named) > 0 {
			err = ownErr // else the derived HTML's problem is the only one, and it stands
		}
	}
	if p.Merge("", err); p.Err(op) != nil {
		return Rendered{}, p.Err(op)
	}
	return r, crm.Wrap(op, err)
}

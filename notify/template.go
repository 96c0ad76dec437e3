package notify

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Kind is what a notice is about: the outbox topic of its messages and the key of its templates.
type Kind string

// The kinds of notices with shipped templates.
const (
	KindTestDriveBooked    Kind = "test_drive.booked"    // leads.TopicTestDriveBooked
	KindTestDriveReminder  Kind = "test_drive.reminder"  // queued by Service.QueueReminders
	KindTestDriveCancelled Kind = "test_drive.cancelled" // leads.TopicTestDriveCancelled
	KindServiceReminder    Kind = "service.reminder"     // queued by Service.QueueReminders
	KindSaleWon            Kind = "sale.won"             // sales.TopicSaleWon
	KindMaintenanceDue     Kind = "maintenance.due"      // a campaign's audience of cars due for maintenance
	KindWarrantyExpiring   Kind = "warranty.expiring"    // a campaign's audience of warranties about to end
	KindCampaign           Kind = "campaign"             // any other campaign
)

// Kinds lists the kinds of notices.
func Kinds() []Kind {
	return []Kind{KindTestDriveBooked, KindTestDriveReminder, KindTestDriveCancelled, KindServiceReminder, KindSaleWon,
		KindMaintenanceDue, KindWarrantyExpiring, KindCampaign}
}

// Template is how a dealer words one kind of notice in one language: a subject and text rendered with
// text/template and an HTML alternative rendered with html/template (so a customer's name can never inject
// markup), over the message's facts ({{.name}}, {{.vehicle}}, {{.date}}, {{.time}}, {{.dealer}}, ...; see
// Facts). A dealer that has stored none for a kind and language uses the shipped default (Default).
type Template struct {
	crm.Meta
	Kind     Kind
	Language string
	Subject  string
	Text     string
	HTML     string // "" renders the text as HTML paragraphs
}

// Validate checks the template's kind, language and sizes (parsing is the Renderer's: Service.SaveTemplate
// renders the template once over sample facts before storing it).
func (t Template) Validate() error {
	var p crm.Problems
	if !slices.Contains(Kinds(), t.Kind) {
		p.Add("kind", "is not a kind of notice")
	}
	if !slices.Contains(Languages(), t.Language) {
		p.Add("language", "must be ru or en")
	}
	p.Require("subject", t.Subject)
	p.Require("text", t.Text)
	if len([]rune(t.Subject)) > 300 {
		p.Add("subject", "is longer than 300 characters")
	}
	if len(t.Text) > 20000 {
		p.Add("text", "is longer than 20000 bytes")
	}
	if len(t.HTML) > 50000 {
		p.Add("html", "is longer than 50000 bytes")
	}
	return p.Err("notify.Template")
}

// TemplateStore keeps the context's dealer's templates.
type TemplateStore interface {
	// Find returns the dealer's template of kind in language; KindNotFound when the dealer stored none.
	Find(ctx context.Context, kind Kind, language string) (Template, error)
	// Save stores t: a new one (Version 0) gets version 1 (crm.Duplicate when the dealer has one of that kind and
	// language), a stored one needs its stored version (KindStaleVersion otherwise) and bumps it.
	Save(ctx context.Context, t *Template) error
	// List returns the dealer's stored templates by kind and language.
	List(ctx context.Context) ([]Template, error)
}

// templateFor returns the template m is rendered with: the dealer's of m's kind in language, else the shipped
// default; ok is false for a kind without templates.
func (s *Service) templateFor(ctx context.Context, st Stores, m crm.Message, language string) (Template, bool, error) {
	kind := Kind(m.Topic)
	if m.Data["campaign_id"] != "" {
		if t, ok, err := campaignTemplate(ctx, st, m); ok || err != nil {
			return t, ok, err
		}
	}
	if l := m.Data["language"]; l != "" {
		language = l
	}
	key := runTemplateKey{m.DealerID, kind, language}
	if v, ok := crm.RunMemoFrom(ctx).Load(key); ok { // read for an earlier message of this relay run
		r := v.(runTemplate)
		return r.t, r.ok, nil
	}
	t, err := st.Templates().Find(ctx, kind, language)
	ok := err == nil
	if errors.Is(err, crm.ErrNotFound) {
		t, ok = Default(kind, language)
	} else if err != nil {
		return Template{}, false, err
	}
	crm.RunMemoFrom(ctx).Store(key, runTemplate{t, ok})
	return t, ok, nil
}

// runTemplateKey and runTemplate are a template as a relay run keeps it for its messages (crm.RunMemo).
type runTemplateKey struct {
	dealer   crm.ID
	kind     Kind
	language string
}

type runTemplate struct {
	t  Template
	ok bool
}

// Facts are the values a template sees: the message's data (vehicle, start_local, lead_id, ...) and
//
//	name     the recipient's first name ("" when unknown)
//	dealer   the dealer's trading name; address its address on one line
//	date     the booking's local date (02.01.2006), time its local time (15:04), from data's start_local
//	unsubscribe_url   the campaign's unsubscribe link (campaign mail only)
func (s *Service) facts(m crm.Message, p *deliveryPlan) map[string]string {
	f := make(map[string]string, len(m.Data)+6)
	for k, v := range m.Data {
		f[k] = v
	}
	f["name"] = p.name
	if p.dealer.Name != "" {
		f["dealer"] = p.dealer.Name
		f["address"] = p.dealer.Address.String()
	}
	if t, err := time.Parse(time.RFC3339, m.Data["start_local"]); err == nil {
		f["date"], f["time"] = t.Format("02.01.2006"), t.Format("15:04")
	}
	if p.unsub != "" {
		f["unsubscribe_url"] = p.unsub
	}
	return f
}

// SampleFacts are the facts a template preview and the check before saving render with.
func SampleFacts(language string) map[string]string {
	f := map[string]string{"name": "Иван", "vehicle": "Lada Vesta 2026", "date": "15.12.2026", "time": "11:30",
		"dealer": "Автоцентр Север", "address": "Москва, ул. Тверская, 1", "vin": "XTAGFL110TY000001",
		"due_date": "20.12.2026", "valid_to": "31.12.2026", "make": "Lada", "model": "Vesta",
		"campaign": "Зимняя проверка", "unsubscribe_url": "https://crm.example.com/api/v1/unsubscribe?token=sample",
		"service": "ТО-1"}
	if language == "en" {
		f["name"], f["dealer"], f["campaign"], f["service"] = "John", "North Motors", "Winter check", "Service 1"
	}
	return f
}

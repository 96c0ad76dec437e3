package httpapi

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// The notify section registers its routes itself (the recipe in docs/architecture.md).
func init() { registerRoutes((*Handler).notifyRoutes, notify.Codes()...) }

// notifyRoutes serve the dealer's mailbox settings (admin only: they hold the mailbox's login) and notice
// templates when Config.Notify is set.
func (h *Handler) notifyRoutes() []route {
	if h.cfg.Notify == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/mailbox", ID: "getMailbox", Tag: "notices",
			Summary: "The dealer's mailbox settings (sender, SMTP server, security, login) without its secrets: only whether each is set",
			Access:  crm.PermEditSettings, Status: 200, Out: mailboxOut{}, ETag: true, handle: h.getMailbox},
		{Method: "PUT", Path: "/api/v1/mailbox", ID: "setMailbox", Tag: "notices", IfMatch: true, IfMatchRequired: true,
			Summary: "Set the dealer's mailbox settings (If-Match once stored, 428 without it); secrets are write-only (absent: kept, null: removed, a string: replaced; one the chosen auth does not use: 422) and never answered",
			Access:  crm.PermEditSettings, Body: mailboxIn{}, Status: 200, Out: mailboxOut{}, ETag: true, handle: h.setMailbox,
			Example: obj{"from_address": "info@sever-auto.ru", "from_name": "Автоцентр Север", "host": "smtp.gmail.com",
				"port": 587, "security": "starttls", "auth": "plain", "username": "info@sever-auto.ru",
				"password": "app-password", "language": "ru", "prefer": "email", "reminder_lead_minutes": 1440}},
		{Method: "POST", Path: "/api/v1/mailbox/test", ID: "testMailbox", Tag: "notices",
			Summary: "Send one test message through the dealer's mailbox and answer the SMTP server's reply (409 mailbox_not_configured before PUT)",
			Access:  crm.PermEditSettings, Body: mailboxTestIn{}, OptionalBody: true, Example: obj{"to": "manager@sever-auto.ru"},
			Status: 200, Out: mailboxTestOut{}, handle: h.testMailbox},
		{Method: "GET", Path: "/api/v1/templates", ID: "listTemplates", Tag: "notices",
			Summary: "The notice templates in use for every kind and language: the dealer's own or the shipped default",
			Access:  crm.PermRead, Status: 200, Out: templatesOut{}, handle: h.listTemplates},
		{Method: "GET", Path: "/api/v1/templates/{kind}/{language}", ID: "getTemplate", Tag: "notices",
			Summary: "The template in use for one kind of notice in one language", Access: crm.PermRead, Status: 200,
			Out: templateOut{}, ETag: true, handle: h.getTemplate},
		{Method: "PUT", Path: "/api/v1/templates/{kind}/{language}", ID: "setTemplate", Tag: "notices", IfMatch: true,
			Summary: "Store the dealer's template of a kind and language (text/template subject and text, html/template HTML); 422 naming the part (subject, text, html) when it does not parse or uses a variable its kind does not carry",
			Access:  crm.PermEditSettings, Body: templateIn{}, Status: 200, Out: templateOut{}, ETag: true, handle: h.setTemplate,
			Example: obj{"subject": "Тест-драйв {{.vehicle}} {{.date}}", "text": "Здравствуйте, {{.name}}! Ждём вас {{.date}} в {{.time}}.",
				"html": "<p>Здравствуйте, {{.name}}! Ждём вас {{.date}} в {{.time}}.</p>"}},
		{Method: "POST", Path: "/api/v1/templates/preview", ID: "previewTemplate", Tag: "notices",
			Summary: "Render a template (given, or the one in use) over facts (given, or samples) without sending anything; 422 as for PUT",
			Access:  crm.PermEditSettings, Body: templatePreviewIn{}, Status: 200, Out: renderedOut{}, handle: h.previewTemplate,
			Example: obj{"kind": "test_drive.booked", "language": "ru", "facts": obj{"name": "<b>Иван</b>", "vehicle": "Lada Vesta"}}},
	}
}

func (h *Handler) getMailbox(w http.ResponseWriter, r *http.Request) error {
	m, err := h.cfg.Notify.GetMailbox(r.Context())
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, m.Version, mailboxView(m))
}

// setMailbox stores the settings. Without If-Match it only creates them (428 once they exist); a secret member
// absent keeps the stored secret, null removes it, a string replaces it.
func (h *Handler) setMailbox(w http.ResponseWriter, r *http.Request) error {
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	if len(r.Header.Values("If-Match")) == 0 {
		want = notify.MailboxAbsent
	}
	var in mailboxIn
	body, err := decodeJSONBody(r, &in)
	if err != nil {
		return err
	}
	input, err := in.input(body)
	if err != nil {
		return err
	}
	m, err := h.cfg.Notify.SetMailbox(r.Context(), want, input)
	if errors.Is(err, notify.ErrMailboxVersionRequired) {
		return ifMatchRequired(crm.MessageOf(err))
	}
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, m.Version, mailboxView(m))
}

func (h *Handler) testMailbox(w http.ResponseWriter, r *http.Request) error {
	var in mailboxTestIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := h.cfg.Notify.TestMailbox(r.Context(), in.To)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, mailboxTestOut{Sent: res.Sent, Code: res.Code, Message: res.Message, MessageID: res.MessageID})
}

func (h *Handler) listTemplates(w http.ResponseWriter, r *http.Request) error {
	ts, err := h.cfg.Notify.ListTemplates(r.Context())
	if err != nil {
		return err
	}
	out := templatesOut{Items: make([]templateOut, 0, len(ts))}
	for _, t := range ts {
		out.Items = append(out.Items, templateView(t))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *Handler) getTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := h.cfg.Notify.GetTemplate(r.Context(), notify.Kind(r.PathValue("kind")), r.PathValue("language"))
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, t.Version, templateView(t))
}

func (h *Handler) setTemplate(w http.ResponseWriter, r *http.Request) error {
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in templateIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := h.cfg.Notify.SaveTemplate(r.Context(), want, notify.Template{Kind: notify.Kind(r.PathValue("kind")),
		Language: r.PathValue("language"), Subject: in.Subject, Text: in.Text, HTML: in.HTML})
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, t.Version, templateView(t))
}

func (h *Handler) previewTemplate(w http.ResponseWriter, r *http.Request) error {
	var in templatePreviewIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := h.cfg.Notify.GetTemplate(r.Context(), notify.Kind(in.Kind), in.Language)
	if err != nil {
		return err
	}
	if in.Subject != "" || in.Text != "" || in.HTML != "" {
		t.Subject, t.Text, t.HTML = in.Subject, in.Text, in.HTML
	}
	out, err := h.cfg.Notify.PreviewTemplate(t, in.Facts)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, renderedOut{Subject: out.Subject, Text: out.Text, HTML: out.HTML})
}

// The campaign routes register themselves with the notices section.
func init() { registerRoutes((*Handler).campaignRoutes) }

// campaignRoutes serve the dealer's campaigns and the unsubscribe link (public: the signed token is the proof).
func (h *Handler) campaignRoutes() []route {
	if h.cfg.Notify == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/campaigns", ID: "listCampaigns", Tag: "notices", Summary: "The dealer's campaigns, newest first",
			Access: crm.PermRead, Status: 200, Out: campaignsOut{}, handle: h.listCampaigns},
		{Method: "POST", Path: "/api/v1/campaigns", ID: "createCampaign", Tag: "notices",
			Summary: "Create a campaign: an audience (test drive in the next N days, maintenance due, warranty expiring, bought make/model), a template, a channel, a schedule",
			Access:  crm.PermEditSettings, Body: campaignIn{}, Status: 201, Out: campaignOut{}, ETag: true, handle: h.createCampaign,
			Example: obj{"name": "Напоминание о дате тест-драйва", "audience": obj{"kind": "test_drive_soon", "days": 3},
				"subject": "{{.name}}, ждём вас на тест-драйв {{.date}}", "text": "{{.name}}, ждём вас {{.date}} в {{.time}}: {{.vehicle}}."}},
		{Method: "GET", Path: "/api/v1/campaigns/{id}", ID: "getCampaign", Tag: "notices", Summary: "Get a campaign",
			Access: crm.PermRead, Status: 200, Out: campaignOut{}, ETag: true, handle: getByID(h.cfg.Notify.GetCampaign, campaignView)},
		{Method: "POST", Path: "/api/v1/campaigns/{id}/run", ID: "runCampaign", Tag: "notices",
			Summary: "Run a campaign now: its audience is found and each person it has not been run for gets one message; a re-run sends nothing twice",
			Access:  crm.PermEditSettings, Status: 200, Out: runOut{}, handle: h.runCampaign},
		{Method: "GET", Path: "/api/v1/campaigns/{id}/recipients", ID: "listCampaignRecipients", Tag: "notices",
			Summary: "A campaign's recipients with their status: queued, sent, failed or skipped with the reason",
			Access:  crm.PermRead, Status: 200, Out: recipientsOut{}, handle: h.listRecipients},
		{Method: "GET", Path: "/api/v1/unsubscribe", ID: "unsubscribe", Tag: "notices",
			Summary: "The unsubscribe link of campaign mail: needs no login (the signed token is the proof); the contact withdraws consent on every channel for everything (campaigns, reminders, notices; e-mail and SMS). A small HTML page to a browser (Accept: text/html), JSON otherwise; 404 unsubscribe_token_invalid for a token that does not verify",
			Access:  public, Query: []param{{Name: "token", Desc: "the signed, opaque token of the link"}}, Status: 200,
			Out: unsubscribedOut{}, HTML: true, handle: h.unsubscribe},
		{Method: "POST", Path: "/api/v1/unsubscribe", ID: "unsubscribeOneClick", Tag: "notices",
			Summary: "RFC 8058 one-click unsubscribe (List-Unsubscribe-Post): as GET, for a mail client posting List-Unsubscribe=One-Click; needs no login",
			Access:  public, Query: []param{{Name: "token", Desc: "the signed, opaque token of the link"}},
			Body: unsubscribeOneClickIn{}, BodyType: formBody, Status: 200, Out: unsubscribedOut{}, handle: h.unsubscribeOneClick},
	}
}

func (h *Handler) listCampaigns(w http.ResponseWriter, r *http.Request) error {
	cs, err := h.cfg.Notify.ListCampaigns(r.Context())
	if err != nil {
		return err
	}
	out := campaignsOut{Items: make([]campaignOut, 0, len(cs))}
	for _, c := range cs {
		out.Items = append(out.Items, campaignView(c))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *Handler) createCampaign(w http.ResponseWriter, r *http.Request) error {
	var in campaignIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	c := notify.Campaign{Name: in.Name, Audience: notify.Audience{Kind: notify.AudienceKind(in.Audience.Kind), Days: in.Audience.Days,
		Make: in.Audience.Make, Model: in.Audience.Model}, Kind: notify.Kind(in.Kind), Subject: in.Subject, Text: in.Text,
		HTML: in.HTML, Channel: notify.Channel(in.Channel), ScheduledAt: parseTime(&p, "scheduled_at", deref(in.ScheduledAt))}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	out, err := h.cfg.Notify.CreateCampaign(r.Context(), c)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusCreated, out.Version, campaignView(out))
}

func (h *Handler) runCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	res, err := h.cfg.Notify.RunCampaign(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, runOut{Queued: res.Queued, Skipped: res.Skipped, Already: res.Already})
}

func (h *Handler) listRecipients(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rs, err := h.cfg.Notify.ListRecipients(r.Context(), id)
	if err != nil {
		return err
	}
	out := recipientsOut{Items: make([]recipientOut, 0, len(rs))}
	for _, x := range rs {
		o := recipientOut{ID: x.ID, Key: x.Key, Name: x.Name, Channel: string(x.Channel), Address: x.Address,
			Status: string(x.Status), Reason: x.Reason}
		if !x.SentAt.IsZero() {
			o.SentAt = stampPtr(&x.SentAt)
		}
		out.Items = append(out.Items, o)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *Handler) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	res, err := h.cfg.Notify.Unsubscribe(r.Context(), queryOf(r).Get("token"))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "Accept")
	if wantsHTML(r) {
		return writeUnsubscribePage(w, res, err)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, unsubscribedView(res))
}

// unsubscribeOneClick is the RFC 8058 POST: the body must be the form List-Unsubscribe=One-Click.
func (h *Handler) unsubscribeOneClick(w http.ResponseWriter, r *http.Request) error {
	if err := checkMediaType(r, formBody); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	body, err := readBody(r)
	if err != nil {
		return err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("List-Unsubscribe") != "One-Click" {
		return invalidField("List-Unsubscribe", "must be One-Click (RFC 8058)")
	}
	res, err := h.cfg.Notify.Unsubscribe(r.Context(), queryOf(r).Get("token"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, unsubscribedView(res))
}

// ifMatchRequired is the 428 of a PUT /api/v1/mailbox without If-Match once settings are stored.
func ifMatchRequired(detail string) error {
	return &httpError{status: http.StatusPreconditionRequired, code: notify.CodeMailboxVersionRequired,
		title: "Precondition required", detail: detail,
		fields: []crm.FieldError{{Field: "If-Match", Message: "is required once the settings are stored: send the ETag read"}}}
}

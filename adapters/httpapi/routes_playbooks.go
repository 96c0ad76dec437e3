package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/playbooks"
)

// The playbooks section registers its routes itself (the recipe in docs/architecture.md).
func init() { registerRoutes((*Handler).playbookRoutes, playbooks.Codes()...) }

// playbookRoutes serve the stage playbooks when Config.Playbooks is set: read and replace a stage's steps.
func (h *Handler) playbookRoutes() []route {
	if h.cfg.Playbooks == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/playbooks/{stage_id}", ID: "getPlaybook", Tag: "playbooks",
			Summary: "The steps a lead stage or sales stage gives the owner on entering it (version 0 and no steps for a stage without a playbook)",
			Access:  crm.PermRead, Status: 200, Out: playbookOut{}, ETag: true, handle: h.getPlaybook},
		{Method: "PUT", Path: "/api/v1/playbooks/{stage_id}", ID: "putPlaybook", Tag: "playbooks", IfMatch: true,
			Summary: "Replace the steps of a stage's playbook (leads and sales at the stage keep their tasks; the steps apply from the next entry); 422 names every wrong field as steps[i].field",
			Access:  crm.PermEditPlaybooks, Body: playbookIn{}, Status: 200, Out: playbookOut{}, ETag: true, handle: h.putPlaybook,
			Example: obj{"steps": []any{
				obj{"key": "first_call", "title": "Позвонить клиенту в течение 15 минут", "title_en": "Call the customer within 15 minutes",
					"required": true, "due_minutes": 15, "completes_on": "call_completed"},
				obj{"key": "book_test_drive", "title": "Записать на тест-драйв", "title_en": "Book a test drive", "completes_on": "test_drive_booked"}}}},
	}
}

func (h *Handler) getPlaybook(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "stage_id")
	if err != nil {
		return err
	}
	p, err := h.cfg.Playbooks.GetPlaybook(r.Context(), id)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, p.Version, playbookView(p))
}

func (h *Handler) putPlaybook(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "stage_id")
	if err != nil {
		return err
	}
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in playbookIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	if err := collect(r, &p); err != nil {
		return err
	}
	out, err := h.cfg.Playbooks.PutPlaybook(r.Context(), id, want, in.steps())
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, out.Version, playbookView(out))
}

package httpapi

import (
	"errors"
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
		{Method: "GET", Path: "/api/v1/playbooks", ID: "listPlaybooks", Tag: "playbooks",
			Summary: "The playbook of every lead stage (in their order), then of every sales stage (in theirs), with the stage's name; version 0 and no steps for a stage without a playbook",
			Access:  crm.PermRead, Status: 200, Out: listOut[stagePlaybookOut]{}, Query: withPage(), handle: h.listPlaybooks},
		{Method: "GET", Path: "/api/v1/playbooks/{stage_id}", ID: "getPlaybook", Tag: "playbooks",
			Summary: "The steps a lead stage or sales stage gives the owner on entering it (version 0 and no steps for a stage without a playbook)",
			Access:  crm.PermRead, Status: 200, Out: playbookOut{}, ETag: true, handle: h.getPlaybook},
		{Method: "PUT", Path: "/api/v1/playbooks/{stage_id}", ID: "putPlaybook", Tag: "playbooks", IfMatch: true, IfMatchRequired: true,
			Summary: "Replace the steps of a stage's playbook (leads and sales at the stage keep their tasks; the steps apply from the next entry); If-Match with the version read (412 when stale; 428 playbook_version_required without it once the stage has a stored playbook — the first version of a stage at version 0 needs none); 422 names every wrong field as steps[i].field",
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
	unread := len(r.Header.Values("If-Match")) == 0 // "*" is a deliberate overwrite; no header may only create
	var in playbookIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	if err := collect(r, &p); err != nil {
		return err
	}
	var out playbooks.Playbook
	if unread {
		out, err = h.cfg.Playbooks.CreatePlaybook(r.Context(), id, in.steps())
	} else {
		out, err = h.cfg.Playbooks.PutPlaybook(r.Context(), id, want, in.steps())
	}
	if errors.Is(err, playbooks.ErrVersionRequired) {
		return &httpError{status: http.StatusPreconditionRequired, code: playbooks.CodeVersionRequired, title: "Precondition required",
			detail: "the stage's playbook is stored already: send If-Match with the ETag of GET /api/v1/playbooks/{stage_id}",
			fields: []crm.FieldError{{Field: "If-Match", Message: "is required to replace a stored playbook"}}}
	}
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, out.Version, playbookView(out))
}

func (h *Handler) listPlaybooks(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.cfg.Playbooks.ListPlaybooks(r.Context())
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(p playbooks.StagePlaybook) string { return p.StageID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, stagePlaybookView, next)
}

package httpapi

import (
	"bytes"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// importOut is the outcome of an ADF import.
type importOut struct {
	Created    int             `json:"created" doc:"leads made by this import"`
	Duplicates int             `json:"duplicates" doc:"prospects imported before, which made nothing"`
	Items      []importItemOut `json:"items" doc:"one per prospect, in document order"`
}

type importItemOut struct {
	Index  int    `json:"index"`
	Key    string `json:"key" doc:"the prospect's id text, source and sequence"`
	Status string `json:"status" enum:"ImportStatus"`
	LeadID crm.ID `json:"lead_id"`
}

func (h *Handler) importRoutes() []route {
	if h.cfg.Leads == nil {
		return nil
	}
	return []route{
		{Method: "POST", Path: "/api/v1/leads/import", ID: "importLeads", Tag: "leads",
			Summary: "Import leads from an ADF 1.0 XML document; a prospect imported before creates nothing",
			Access:  crm.PermEditLeads, Body: "", BodyType: xmlBody, Status: 200, Out: importOut{}, handle: h.importLeads},
	}
}

func (h *Handler) importLeads(w http.ResponseWriter, r *http.Request) error {
	if err := checkMediaType(r, "application/xml", "text/xml"); err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	res, err := h.cfg.Leads.ImportADF(r.Context(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, importOut{Created: res.Created, Duplicates: res.Duplicates,
		Items: mapList(res.Items, func(it leads.ImportItem) importItemOut {
			return importItemOut{Index: it.Index, Key: it.Key, Status: string(it.Status), LeadID: it.LeadID}
		})})
}

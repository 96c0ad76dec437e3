package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// contractRoutes serve purchase contracts and the documents stored for sales.
func (h *Handler) contractRoutes() []route {
	c := h.cfg.Contracts
	if h.cfg.Sales == nil || h.cfg.Catalog == nil || h.cfg.Kernel == nil {
		return nil
	}
	var rs []route
	if c.PDF != nil {
		rs = append(rs, route{Method: "GET", Path: "/api/v1/sales/{id}/contract.pdf", ID: "getContractPDF", Tag: "contracts",
			Summary: "The sale's purchase contract as PDF (requisites the CRM lacks are blanks, named in X-Contract-Blanks)",
			Access:  crm.PermRead, Status: 200, OutType: "application/pdf", handle: h.contractFile(c.PDF, ".pdf")})
	}
	if c.HTML != nil {
		rs = append(rs, route{Method: "GET", Path: "/api/v1/sales/{id}/contract.html", ID: "getContractHTML", Tag: "contracts",
			Summary: "The sale's purchase contract as a printable HTML page", Access: crm.PermRead, Status: 200,
			OutType: "text/html", handle: h.contractFile(c.HTML, ".html")})
	}
	if c.PDF != nil && c.Files != nil {
		rs = append(rs, route{Method: "POST", Path: "/api/v1/sales/{id}/contract", Example: obj{}, ID: "storeContract", Tag: "contracts",
			Summary: "Generate the contract PDF and keep it as a document of the sale", Access: crm.PermEditSales,
			Body: contractIn{}, OptionalBody: true, Status: 201, Out: documentOut{}, handle: h.storeContract})
	}
	rs = append(rs,
		route{Method: "GET", Path: "/api/v1/sales/{id}/documents", ID: "listSaleDocuments", Tag: "contracts",
			Summary: "The documents kept for a sale, newest first", Access: crm.PermRead, Query: withPage(), Status: 200,
			Out: listOut[documentOut]{}, handle: h.listSaleDocuments},
		route{Method: "GET", Path: "/api/v1/documents/{id}", ID: "getDocument", Tag: "contracts",
			Summary: "A document's record", Access: crm.PermRead, Status: 200, Out: documentOut{}, ETag: true,
			handle: h.getDocument})
	if c.Files != nil {
		rs = append(rs, route{Method: "GET", Path: "/api/v1/documents/{id}/content", ID: "getDocumentContent",
			Tag: "contracts", Summary: "A document's bytes", Access: crm.PermRead, Status: 200, OutType: "application/octet-stream",
			handle: h.getDocumentContent})
	}
	return rs
}

// contractIn is the optional body of POST /api/v1/sales/{id}/contract.
type contractIn struct{}

func (h *Handler) contractFile(r sales.ContractRenderer, ext string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, req *http.Request) error {
		id, err := pathID(req, "id")
		if err != nil {
			return err
		}
		c, blanks, err := h.cfg.Sales.BuildSaleContract(req.Context(), id, h.cfg.Contracts.terms())
		if err != nil {
			return err
		}
		data, err := r.Render(req.Context(), c)
		if err != nil {
			return err
		}
		if len(blanks) > 0 {
			w.Header().Set("X-Contract-Blanks", strings.Join(blanks, ", "))
		}
		return writeBytes(w, r.ContentType(), "contract-"+id.String()[:8]+ext, data)
	}
}

// documents runs fn with the document store of a kernel unit of work.
func (h *Handler) documents(ctx context.Context, write bool, fn func(context.Context, crm.DocumentStore) error) error {
	run := h.cfg.Kernel.View
	if write {
		run = h.cfg.Kernel.Update
	}
	return run(ctx, func(ctx context.Context, s crm.Stores) error { return fn(ctx, s.Documents()) })
}

func (h *Handler) storeContract(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in contractIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	doc, blanks, err := h.cfg.Sales.GenerateContract(r.Context(), id, h.cfg.Contracts.terms(), h.cfg.Contracts.PDF,
		h.cfg.Contracts.Files)
	if err != nil {
		return err
	}
	if len(blanks) > 0 {
		w.Header().Set("X-Contract-Blanks", strings.Join(blanks, ", "))
	}
	w.Header().Set("Location", "/api/v1/documents/"+doc.ID.String())
	return writeJSON(w, http.StatusCreated, documentView(doc))
}

func (h *Handler) listSaleDocuments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	if _, err := h.cfg.Sales.GetSale(r.Context(), id); err != nil {
		return err
	}
	var res crm.Page[crm.Document]
	if err := h.documents(r.Context(), false, func(ctx context.Context, ds crm.DocumentStore) (err error) {
		res, err = ds.PageBySubject(ctx, id, crm.PageRequest{Limit: pg.Limit, Cursor: pg.Cursor})
		return err
	}); err != nil {
		return err
	}
	return writeList(w, res.Items, documentView, res.NextCursor)
}

func (h *Handler) getDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var d crm.Document
	if err := h.documents(r.Context(), false, func(ctx context.Context, ds crm.DocumentStore) (err error) {
		d, err = ds.Get(ctx, id)
		return err
	}); err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, d.Version, documentView(d))
}

func (h *Handler) getDocumentContent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var d crm.Document
	if err := h.documents(r.Context(), false, func(ctx context.Context, ds crm.DocumentStore) (err error) {
		d, err = ds.Get(ctx, id)
		return err
	}); err != nil {
		return err
	}
	data, err := h.cfg.Contracts.Files.Get(r.Context(), d.Key)
	if errors.Is(err, crm.ErrNotFound) {
		// The record exists, so its bytes missing is the file store's fault, not the caller's.
		return crm.E(crm.KindInternal, "httpapi.getDocumentContent", err)
	}
	if err != nil {
		return err
	}
	return writeBytes(w, d.ContentType, d.Name, data)
}

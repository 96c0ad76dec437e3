package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/crm"
)

// The appraisal section registers its routes itself (docs/architecture.md, "Adding a section").
func init() { registerRoutes((*Handler).appraisalRoutes, appraisal.Codes()...) }

// multipartBody is the media type of file uploads.
const multipartBody = "multipart/form-data"

// appraisalRoutes serve appraisal sheets, their checklist, states and files, the dealer's checklist template
// and the settlement of a sale (its trade-in credit), when Config.Appraisal is set.
func (h *Handler) appraisalRoutes() []route {
	if h.cfg.Appraisal == nil {
		return nil
	}
	act := func(action appraisal.Action, id, summary string, access crm.Permission) route {
		return route{Method: "POST", Path: "/api/v1/appraisals/{id}/" + string(action), Example: obj{"comment": "осмотр завершён"},
			ID: id, IfMatch: true, Tag: "appraisals", Summary: summary, Access: access, Body: appraisalActionIn{},
			OptionalBody: true, Status: 200, Out: appraisalOut{}, ETag: true, handle: h.actOnAppraisal(action)}
	}
	rs := []route{
		{Method: "GET", Path: "/api/v1/appraisals", ID: "listAppraisals", Tag: "appraisals",
			Summary: "List appraisal sheets, newest first", Access: crm.PermRead, Status: 200, Out: listOut[appraisalOut]{},
			handle: h.listAppraisals, Query: withPage(
				param{Name: "state", Of: "AppraisalState"},
				param{Name: "vin", Desc: "the car's VIN, exactly"},
				param{Name: "lead_id", Type: "uuid"}, param{Name: "customer_id", Type: "uuid"},
				param{Name: "sale_id", Type: "uuid", Desc: "the sale the car came from"})},
		{Method: "POST", Path: "/api/v1/appraisals", ID: "createAppraisal", Tag: "appraisals",
			Summary: "Start an appraisal sheet (a draft; its checklist from the dealer's template)", Access: crm.PermEditAppraisals,
			Body: appraisalIn{}, Example: obj{"vin": "Z94CB41AAJR123456", "make": "Kia", "model": "Rio", "year": 2018, "mileage": 84000,
				"reference_price": obj{"amount": "900000", "currency": "RUB"}},
			Status: 201, Out: appraisalOut{}, ETag: true, handle: h.createAppraisal},
		{Method: "GET", Path: "/api/v1/appraisals/{id}", ID: "getAppraisal", Tag: "appraisals",
			Summary: "Get an appraisal sheet with its checklist and price history", Access: crm.PermRead, Status: 200,
			Out: appraisalOut{}, ETag: true, handle: getByID(h.cfg.Appraisal.GetAppraisal, appraisalView)},
		{Method: "PATCH", Path: "/api/v1/appraisals/{id}", ID: "updateAppraisal", Tag: "appraisals", IfMatch: true,
			Summary: "Edit a draft: the car, the reference price, the adjustments, the justification",
			Access:  crm.PermEditAppraisals, Body: appraisalPatchIn{}, Example: obj{"justification": "по объявлениям, минус ремонт"},
			Status: 200, Out: appraisalOut{}, ETag: true, handle: h.updateAppraisal},
		{Method: "PATCH", Path: "/api/v1/appraisals/{id}/elements/{element_id}", ID: "updateAppraisalElement", Tag: "appraisals",
			IfMatch: true, Summary: "Grade a checklist element of a draft, note it, set its deduction",
			Access: crm.PermEditAppraisals, Body: appraisalElementIn{},
			Example: obj{"grade": "fair", "note": "скол", "deduction": obj{"amount": "5000", "currency": "RUB"}},
			Status:  200, Out: appraisalOut{}, ETag: true, handle: h.updateAppraisalElement},
		{Method: "POST", Path: "/api/v1/appraisals/{id}/submit", Example: obj{"comment": "осмотр завершён"},
			ID: "submitAppraisal", IfMatch: true, Tag: "appraisals", Summary: "Hand a draft in for approval (it needs a justification)",
			Access: crm.PermEditAppraisals, Body: appraisalSubmitIn{}, OptionalBody: true, Status: 200, Out: appraisalOut{},
			ETag: true, handle: h.submitAppraisal},
		act(appraisal.ActionApprove, "approveAppraisal", "Approve a submitted sheet: it can become a sale's trade-in", crm.PermApproveAppraisals),
		act(appraisal.ActionReject, "rejectAppraisal", "Reject a submitted sheet, with a comment", crm.PermApproveAppraisals),
		{Method: "POST", Path: "/api/v1/appraisals/{id}/files", ID: "uploadAppraisalFile", Tag: "appraisals",
			Summary: "Attach a photo or a PDF (multipart field file; the type is sniffed, at most 20 MiB, a plain file name)",
			Access:  crm.PermEditAppraisals, Body: fileUploadIn{}, BodyType: multipartBody, Status: 201, Out: documentOut{},
			handle: h.uploadAppraisalFile},
		{Method: "GET", Path: "/api/v1/appraisals/{id}/files", ID: "listAppraisalFiles", Tag: "appraisals",
			Summary: "The photos and documents of a sheet, newest first", Access: crm.PermRead, Query: withPage(), Status: 200,
			Out: listOut[documentOut]{}, handle: h.listAppraisalFiles},
		{Method: "GET", Path: "/api/v1/appraisals/{id}/files/{file_id}", ID: "downloadAppraisalFile", Tag: "appraisals",
			Summary: "Download a photo or document of a sheet", Access: crm.PermRead, Status: 200,
			OutType: "application/octet-stream", handle: h.downloadAppraisalFile},
		{Method: "GET", Path: "/api/v1/appraisal-template", ID: "getAppraisalTemplate", Tag: "appraisals",
			Summary: "The dealer's checklist template (the default one until edited)", Access: crm.PermRead, Status: 200,
			Out: appraisalTemplateOut{}, ETag: true, handle: h.getAppraisalTemplate},
		{Method: "PUT", Path: "/api/v1/appraisal-template", ID: "setAppraisalTemplate", Tag: "appraisals", IfMatch: true,
			Summary: "Replace the dealer's checklist template (new sheets follow it)", Access: crm.PermEditDirectories,
			Body: appraisalTemplateIn{}, Example: obj{"elements": []any{obj{"area": "body", "name": "Капот"}}},
			Status: 200, Out: appraisalTemplateOut{}, ETag: true, handle: h.setAppraisalTemplate},
	}
	if h.cfg.Sales != nil {
		rs = append(rs, route{Method: "GET", Path: "/api/v1/sales/{id}/settlement", ID: "getSaleSettlement", Tag: "sales",
			Summary: "How a sale is paid: its total, the trade-in credit, and the remainder the buyer pays",
			Access:  crm.PermRead, Status: 200, Out: settlementOut{}, handle: h.getSaleSettlement})
	}
	return rs
}

func (h *Handler) listAppraisals(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	qs := queryOf(r)
	q := appraisal.Query{State: appraisal.State(qs.Get("state")), VIN: strings.ToUpper(strings.TrimSpace(qs.Get("vin"))),
		LeadID: parseIDField(&p, "lead_id", qs.Get("lead_id")), CustomerID: parseIDField(&p, "customer_id", qs.Get("customer_id")),
		SaleID: parseIDField(&p, "sale_id", qs.Get("sale_id"))}
	if q.State != "" && !q.State.Valid() {
		p.Add("state", "must be draft, submitted, approved or rejected")
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.Appraisal.ListAppraisals(r.Context(), q, crm.PageRequest{Limit: pg.Limit, Cursor: pg.Cursor})
	if err != nil {
		return err
	}
	return writeList(w, res.Items, appraisalView, res.NextCursor)
}

func (h *Handler) createAppraisal(w http.ResponseWriter, r *http.Request) error {
	var in appraisalIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	a := appraisal.Input{Car: appraisal.Car{VIN: in.VIN, Make: in.Make, Model: in.Model, Year: in.Year, Mileage: in.Mileage,
		Color: in.Color, Owner: in.Owner}, LeadID: parseIDField(&p, "lead_id", in.LeadID),
		CustomerID: parseIDField(&p, "customer_id", in.CustomerID), SaleID: parseIDField(&p, "sale_id", in.SaleID),
		ReferencePrice: in.ReferencePrice.money(&p, "reference_price"), Justification: in.Justification}
	if in.ReferencePrice == nil {
		p.Add("reference_price", "is required")
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	out, err := h.cfg.Appraisal.CreateAppraisal(r.Context(), a)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/appraisals/"+out.ID.String())
	return writeRecord(w, http.StatusCreated, out.Version, appraisalView(out))
}

func (h *Handler) updateAppraisal(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[appraisalPatchIn](r)
	if err != nil {
		return err
	}
	var a appraisal.Appraisal
	err = retryStale(want, func() error {
		cur, err := h.cfg.Appraisal.GetAppraisal(r.Context(), id)
		if err != nil {
			return err
		}
		var p crm.Problems
		var c appraisal.Changes
		if in.VIN != nil || in.Make != nil || in.Model != nil || in.Year != nil || in.Mileage != nil || in.Color != nil || in.Owner != nil {
			car := appraisal.Car{VIN: string(cur.VIN), Make: cur.Make, Model: cur.Model, Year: cur.Year, Mileage: cur.Mileage,
				Color: cur.Color, Owner: cur.Owner}
			setIf(&car.VIN, in.VIN)
			setIf(&car.Make, in.Make)
			setIf(&car.Model, in.Model)
			setIf(&car.Year, in.Year)
			setIf(&car.Mileage, in.Mileage)
			setIf(&car.Color, in.Color)
			setIf(&car.Owner, in.Owner)
			c.Car = &car
		}
		if in.ReferencePrice != nil {
			m := in.ReferencePrice.money(&p, "reference_price")
			c.ReferencePrice = &m
		}
		if in.Adjustments != nil {
			c.Adjustments = []appraisal.Adjustment{}
			for i, adj := range *in.Adjustments {
				c.Adjustments = append(c.Adjustments, appraisal.Adjustment{
					Amount: adj.Amount.money(&p, fmt.Sprintf("adjustments[%d].amount", i)), Reason: adj.Reason})
			}
		}
		c.Justification = in.Justification
		if err := p.Err("httpapi"); err != nil {
			return err
		}
		a, err = h.cfg.Appraisal.EditAppraisal(r.Context(), id, orVersion(want, cur.Version), c)
		return err
	})
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, a.Version, appraisalView(a))
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func (h *Handler) updateAppraisalElement(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[appraisalElementIn](r)
	if err != nil {
		return err
	}
	elementID, err := pathID(r, "element_id")
	if err != nil {
		return err
	}
	var p crm.Problems
	var c appraisal.ElementChange
	if in.Grade != nil {
		g := appraisal.Grade(*in.Grade)
		c.Grade = &g
	}
	c.Note = in.Note
	if in.Deduction != nil {
		d := in.Deduction.money(&p, "deduction")
		c.Deduction = &d
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	a, err := h.cfg.Appraisal.EditElement(r.Context(), id, want, elementID, c)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, a.Version, appraisalView(a))
}

func (h *Handler) submitAppraisal(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[appraisalSubmitIn](r)
	if err != nil {
		return err
	}
	a, err := h.cfg.Appraisal.SubmitAppraisal(r.Context(), id, want, in.Justification, in.Comment)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, a.Version, appraisalView(a))
}

func (h *Handler) actOnAppraisal(action appraisal.Action) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, want, in, err := readAction[appraisalActionIn](r)
		if err != nil {
			return err
		}
		a, err := h.cfg.Appraisal.Transition(r.Context(), id, want, action, in.Comment)
		if err != nil {
			return err
		}
		return writeRecord(w, http.StatusOK, a.Version, appraisalView(a))
	}
}

// uploadAppraisalFile reads the multipart field "file" and attaches it. The file name is read from the part's
// Content-Disposition as sent (mime/multipart's FileName would cut a path down to its last element), so that a
// name that is a path is refused rather than silently shortened.
func (h *Handler) uploadAppraisalFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := h.cfg.Appraisal.GetAppraisal(r.Context(), id); err != nil {
		return err
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != multipartBody || params["boundary"] == "" {
		return errMediaType(multipartBody)
	}
	rememberBody(r, &fileUploadIn{})
	mr := multipart.NewReader(r.Body, params["boundary"])
	var u *appraisal.Upload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return multipartError(err)
		}
		_, disp, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		if disp["name"] != "file" {
			_ = part.Close()
			continue
		}
		if u != nil {
			return crm.Invalid("httpapi", crm.FieldError{Field: "file", Message: "send one file per request"})
		}
		data, err := io.ReadAll(io.LimitReader(part, appraisal.MaxFileSize+1))
		if err != nil {
			return multipartError(err)
		}
		u = &appraisal.Upload{Name: disp["filename"], Data: data}
	}
	if u == nil {
		return crm.Invalid("httpapi", crm.FieldError{Field: "file", Message: "is required (a multipart field named file)"})
	}
	doc, err := h.cfg.Appraisal.AttachFile(r.Context(), id, *u)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/appraisals/"+id.String()+"/files/"+doc.ID.String())
	v := documentView(doc)
	v.ContentURL = "/api/v1/appraisals/" + id.String() + "/files/" + doc.ID.String()
	return writeJSON(w, http.StatusCreated, v)
}

// multipartError classifies a failure to read a multipart body: over the size limit (413) or malformed (400).
func multipartError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge(mbe.Limit)
	}
	return badRequest("the multipart body could not be read")
}

func (h *Handler) listAppraisalFiles(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.cfg.Appraisal.ListFiles(r.Context(), id)
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(d crm.Document) string { return d.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, func(d crm.Document) documentOut {
		v := documentView(d)
		v.ContentURL = "/api/v1/appraisals/" + id.String() + "/files/" + d.ID.String()
		return v
	}, next)
}

// downloadAppraisalFile serves a file as an attachment with its sniffed type, never to be sniffed again by the
// browser (X-Content-Type-Options: nosniff).
func (h *Handler) downloadAppraisalFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file_id")
	if err != nil {
		return err
	}
	doc, data, err := h.cfg.Appraisal.ReadFile(r.Context(), id, fileID)
	if err != nil {
		return err
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": doc.Name}))
	w.Header().Set("Content-Type", doc.ContentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return nil
}

func (h *Handler) getAppraisalTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := h.cfg.Appraisal.GetTemplate(r.Context())
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, t.Version, appraisalTemplateView(t))
}

func (h *Handler) setAppraisalTemplate(w http.ResponseWriter, r *http.Request) error {
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in appraisalTemplateIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	items := make([]appraisal.TemplateItem, len(in.Elements))
	for i, e := range in.Elements {
		items[i] = appraisal.TemplateItem{Area: appraisal.Area(e.Area), Name: e.Name}
	}
	t, err := h.cfg.Appraisal.SetTemplate(r.Context(), want, items)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, t.Version, appraisalTemplateView(t))
}

func (h *Handler) getSaleSettlement(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	s, err := h.cfg.Sales.GetSaleSettlement(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, settlementView(id, s))
}

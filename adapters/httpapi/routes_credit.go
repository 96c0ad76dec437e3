package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
)

// The credit section registers its routes itself (the recipe in docs/architecture.md).
func init() { registerRoutes((*Handler).creditRoutes, credit.Codes()...) }

// creditRoutes serve the credit desk when Config.Credit is set: the payment calculator, the banks' programs and
// the sales' applications with their moves and schedules.
func (h *Handler) creditRoutes() []route {
	if h.cfg.Credit == nil {
		return nil
	}
	c := h.cfg.Credit
	move := func(action, id, summary string, fn func(context.Context, crm.ID, int64, string) (credit.Application, error)) route {
		return route{Method: "POST", Path: "/api/v1/credit-applications/{id}/" + action, ID: id, Tag: "credit",
			Summary: summary + "; 409 credit_transition_not_allowed when its state does not allow it",
			Access:  crm.PermEditCredit, Body: creditMoveIn{}, OptionalBody: true, Example: obj{"comment": "по звонку из банка"},
			IfMatch: true, Status: 200, Out: creditApplicationOut{}, ETag: true, handle: h.moveCreditApplication(fn)}
	}
	return []route{
		{Method: "POST", Path: "/api/v1/credit/calculate", ID: "calculateCredit", Tag: "credit",
			Summary: "The payment schedule of a loan (annuity or differentiated), to the currency's minor unit",
			Access:  crm.PermEditCredit, Body: creditCalcIn{}, Status: 200, Out: scheduleOut{},
			Example: obj{"method": "annuity", "amount": obj{"amount": "1000000", "currency": "RUB"}, "annual_rate": "6.9", "term_months": 36},
			handle:  h.calculateCredit},
		{Method: "GET", Path: "/api/v1/credit-programs", ID: "listCreditPrograms", Tag: "credit",
			Summary: "List the banks' credit programs by bank and name", Access: crm.PermRead, Status: 200,
			Out: listOut[creditProgramOut]{}, handle: h.listCreditPrograms,
			Query: withPage(param{Name: "active", Type: "boolean", Desc: "true: only programs offered now"})},
		{Method: "POST", Path: "/api/v1/credit-programs", ID: "createCreditProgram", Tag: "credit",
			Summary: "Add a bank's credit program", Access: crm.PermEditCredit, Body: creditProgramIn{}, Status: 201,
			Out: creditProgramOut{}, ETag: true, handle: h.createCreditProgram,
			Example: obj{"bank": "ПАО «Банк»", "name": "Автокредит Стандарт", "annual_rate": "6.9", "min_term_months": 12,
				"max_term_months": 84, "min_down_payment_percent": "10", "min_amount": obj{"amount": "100000", "currency": "RUB"},
				"max_amount": obj{"amount": "5000000", "currency": "RUB"}, "valid_from": "2026-01-01"}},
		{Method: "GET", Path: "/api/v1/credit-programs/{id}", ID: "getCreditProgram", Tag: "credit",
			Summary: "Get a credit program", Access: crm.PermRead, Status: 200, Out: creditProgramOut{}, ETag: true,
			handle: getByID(c.GetProgram, creditProgramView)},
		{Method: "PATCH", Path: "/api/v1/credit-programs/{id}", ID: "updateCreditProgram", Tag: "credit", IfMatch: true,
			Summary: "Change a program's terms (a JSON merge patch of its create body); applications keep the terms they were made with",
			Access:  crm.PermEditCredit, Body: creditProgramIn{}, Example: obj{"annual_rate": "7.5"}, Status: 200,
			Out: creditProgramOut{}, ETag: true, handle: h.updateCreditProgram},
		{Method: "POST", Path: "/api/v1/credit-applications", ID: "createCreditApplication", Tag: "credit",
			Summary: "Apply for a sale's credit under a program; 422 names every field the program refuses, nothing is saved",
			Access:  crm.PermEditCredit, Body: creditApplicationIn{}, Status: 201, Out: creditApplicationOut{}, ETag: true,
			Example: obj{"sale_id": exSale, "program_id": exCreditProgram, "down_payment": obj{"amount": "300000", "currency": "RUB"},
				"amount": obj{"amount": "1000000", "currency": "RUB"}, "term_months": 36, "method": "annuity"},
			handle: h.createCreditApplication},
		{Method: "GET", Path: "/api/v1/credit-applications", ID: "listCreditApplications", Tag: "credit",
			Summary: "List credit applications, newest first", Access: crm.PermRead, Status: 200,
			Out: listOut[creditApplicationOut]{}, handle: h.listCreditApplications,
			Query: withPage(param{Name: "sale_id", Type: "uuid"}, param{Name: "state", Of: "CreditApplicationState"})},
		{Method: "GET", Path: "/api/v1/credit-applications/{id}", ID: "getCreditApplication", Tag: "credit",
			Summary: "Get a credit application with its history", Access: crm.PermRead, Status: 200,
			Out: creditApplicationOut{}, ETag: true, handle: getByID(c.GetApplication, creditApplicationView)},
		{Method: "GET", Path: "/api/v1/credit-applications/{id}/schedule", ID: "getCreditApplicationSchedule", Tag: "credit",
			Summary: "The application's payment schedule (first payment a month after the issue, or after the application before it)",
			Access:  crm.PermRead, Status: 200, Out: scheduleOut{}, handle: h.getCreditApplicationSchedule},
		move("submit", "submitCreditApplication", "Send a draft to the bank", c.SubmitApplication),
		move("approve", "approveCreditApplication", "Record the bank's approval of a submitted application", c.ApproveApplication),
		move("reject", "rejectCreditApplication", "Record the bank's refusal of a submitted application", c.RejectApplication),
		move("issue", "issueCreditApplication", "Record an approved loan paid out; the open sale links it (409 credit_already_issued when another application of the sale is issued)", c.IssueApplication),
		move("cancel", "cancelCreditApplication", "Withdraw a draft, submitted, approved or issued application; an open sale linking it is unlinked", c.CancelApplication),
		move("close", "closeCreditApplication", "Record an issued loan repaid", c.CloseApplication),
	}
}

func (h *Handler) calculateCredit(w http.ResponseWriter, r *http.Request) error {
	var in creditCalcIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	amount := in.Amount.money(&p, "amount")
	if in.Amount == nil {
		p.Add("amount", "is required")
	}
	rate := requireDecimal(&p, "annual_rate", in.AnnualRate)
	first := parseDate(&p, "first_due", in.FirstDue)
	if err := collect(r, &p); err != nil {
		return err
	}
	s, err := h.cfg.Credit.Calculate(r.Context(), credit.CalcInput{Method: credit.Method(in.Method), Amount: amount,
		AnnualRatePercent: rate, TermMonths: in.TermMonths, FirstDue: first})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, scheduleView(s))
}

// now is today's date by the handler's clock, at midnight UTC.
func (h *Handler) now() time.Time {
	clock := h.cfg.Clock
	if clock == nil {
		clock = crm.SystemClock{}
	}
	y, m, d := clock.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (h *Handler) listCreditPrograms(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	onlyActive := false
	switch v := queryOf(r).Get("active"); v {
	case "", "false":
	case "true":
		onlyActive = true
	default:
		p.Add("active", "must be true or false")
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	all, err := h.cfg.Credit.ListPrograms(r.Context())
	if err != nil {
		return err
	}
	if onlyActive {
		today := h.now()
		kept := all[:0]
		for _, prog := range all {
			if prog.ValidOn(today) {
				kept = append(kept, prog)
			}
		}
		all = kept
	}
	items, next, err := paginate(all, func(p credit.Program) string { return p.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, creditProgramView, next)
}

func (h *Handler) createCreditProgram(w http.ResponseWriter, r *http.Request) error {
	var in creditProgramIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	pi := in.input(&p)
	if err := collect(r, &p); err != nil {
		return err
	}
	prog, err := h.cfg.Credit.CreateProgram(r.Context(), pi)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/credit-programs/"+prog.ID.String())
	return writeRecord(w, http.StatusCreated, prog.Version, creditProgramView(prog))
}

// updateCreditProgram applies a merge patch of the program's create body.
func (h *Handler) updateCreditProgram(w http.ResponseWriter, r *http.Request) error {
	return patchByID(h.cfg.Credit.GetProgram, creditProgramInOf, nil,
		func(ctx context.Context, id crm.ID, version int64, _ credit.Program, in creditProgramIn) (credit.Program, error) {
			var p crm.Problems
			pi := in.input(&p)
			if err := p.Err("httpapi"); err != nil {
				return credit.Program{}, err
			}
			return h.cfg.Credit.UpdateProgram(ctx, id, version, pi)
		}, creditProgramView)(w, r)
}

func (h *Handler) createCreditApplication(w http.ResponseWriter, r *http.Request) error {
	var in creditApplicationIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	ai := credit.ApplicationInput{SaleID: parseIDField(&p, "sale_id", in.SaleID), ProgramID: parseIDField(&p, "program_id", in.ProgramID),
		VehiclePrice: in.VehiclePrice.money(&p, "vehicle_price"), DownPayment: in.DownPayment.money(&p, "down_payment"),
		Amount: in.Amount.money(&p, "amount"), TermMonths: in.TermMonths, Method: credit.Method(in.Method), Comment: in.Comment}
	if err := collect(r, &p); err != nil {
		return err
	}
	a, err := h.cfg.Credit.CreateApplication(r.Context(), ai)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/credit-applications/"+a.ID.String())
	return writeRecord(w, http.StatusCreated, a.Version, creditApplicationView(a))
}

func (h *Handler) listCreditApplications(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	var p crm.Problems
	aq := credit.ApplicationQuery{SaleID: parseIDField(&p, "sale_id", q.Get("sale_id")), State: credit.State(q.Get("state")),
		Limit: pg.Limit, Cursor: pg.Cursor}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.Credit.ListApplications(r.Context(), aq)
	if err != nil {
		return err
	}
	return writeList(w, res.Items, creditApplicationView, res.NextCursor)
}

func (h *Handler) getCreditApplicationSchedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	s, err := h.cfg.Credit.GetApplicationSchedule(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, scheduleView(s))
}

func (h *Handler) moveCreditApplication(fn func(context.Context, crm.ID, int64, string) (credit.Application, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, want, in, err := readAction[creditMoveIn](r)
		if err != nil {
			return err
		}
		a, err := fn(r.Context(), id, want, in.Comment)
		if err != nil {
			return err
		}
		return writeRecord(w, http.StatusOK, a.Version, creditApplicationView(a))
	}
}

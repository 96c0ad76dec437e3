package adaptertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runAppraisal runs the appraisal section: the record basics of sheets and templates, and the section's own
// rules through its service (checklist from the template, the price and its history, the states and who may
// approve, origins of the dealer's own, attachments and hostile uploads, one winner of twenty writers).
func runAppraisal(t *testing.T, open Open) {
	t.Run("Records", func(t *testing.T) {
		RunRecords(t, open, Records[appraisal.Stores, appraisal.Appraisal]{
			New: func(d crm.Dealer, n int) appraisal.Appraisal {
				a, err := appraisal.NewAppraisal(d, appraisalInput(n), appraisal.DefaultTemplate(), crm.NewID(), Epoch)
				require.NoError(t, err)
				return a
			},
			Meta: func(a *appraisal.Appraisal) *crm.Meta { return &a.Meta },
			Create: func(ctx context.Context, s appraisal.Stores, a *appraisal.Appraisal) error {
				return s.Appraisals().Create(ctx, a)
			},
			Get: func(ctx context.Context, s appraisal.Stores, id crm.ID) (appraisal.Appraisal, error) {
				return s.Appraisals().Get(ctx, id)
			},
			Update: func(ctx context.Context, s appraisal.Stores, a *appraisal.Appraisal) error {
				return s.Appraisals().Update(ctx, a)
			},
			Edit: func(a *appraisal.Appraisal) {
				g := appraisal.GradePoor
				d := crm.MustMoney("15000.50", "RUB")
				if err := a.EditElement(a.Elements[0].ID, appraisal.ElementChange{Grade: &g, Deduction: &d}, crm.NewID(), Epoch); err != nil {
					panic(err)
				}
			},
			Same: sameAppraisal,
		})
	})
	t.Run("TemplateStore", func(t *testing.T) { appraisalTemplateStore(t, open) })
	t.Run("ChecklistFromTemplate", func(t *testing.T) { appraisalChecklistFromTemplate(t, open) })
	t.Run("PriceAndHistory", func(t *testing.T) { appraisalPriceAndHistory(t, open) })
	t.Run("InvalidSavesNothing", func(t *testing.T) { appraisalInvalidSavesNothing(t, open) })
	t.Run("StatesAndApproval", func(t *testing.T) { appraisalStatesAndApproval(t, open) })
	t.Run("Files", func(t *testing.T) { appraisalFiles(t, open) })
	t.Run("DealerIsolation", func(t *testing.T) { appraisalDealerIsolation(t, open) })
	t.Run("OneOfTwentyWriters", func(t *testing.T) { appraisalOneOfTwentyWriters(t, open) })
	t.Run("TradeIn", func(t *testing.T) { runTradeIn(t, open) })
	t.Run("Paging", func(t *testing.T) { appraisalPaging(t, open) })
}

// appraisalPaging: the sheets' list is paged by keyset in the store (newest first), each dealer its own.
func appraisalPaging(t *testing.T, open Open) {
	b := open(t)
	e := newAppraisalEnv(t, b, "Страницы")
	other := newAppraisalEnv(t, b, "Чужие страницы")
	other.create(1)
	RunPaging(t, Paging[appraisal.Appraisal]{
		Page: func(pr crm.PageRequest) (crm.Page[appraisal.Appraisal], error) {
			return e.svc.ListAppraisals(e.ctx, appraisal.Query{State: appraisal.StateDraft}, pr)
		},
		Insert: func(n int) {
			if n%3 != 1 { // some sheets share their creation time: the ID orders them
				e.clock.Advance(time.Minute)
			}
			e.create(n)
		},
		ID: func(a appraisal.Appraisal) crm.ID { return a.ID },
	})
}

var appraisalVINSeq atomic.Int64

// appraisalInput is a valid sheet: a used Kia Rio at a reference price of 900 000 RUB.
func appraisalInput(n int) appraisal.Input {
	return appraisal.Input{Car: appraisal.Car{VIN: fmt.Sprintf("Z94CB41AAJR%06d", int64(n)*1000+appraisalVINSeq.Add(1)%1000),
		Make: "Kia", Model: "Rio", Year: 2018, Mileage: 84000, Color: "белый", Owner: "Петров Иван Сергеевич"},
		ReferencePrice: crm.MustMoney("900000", "RUB")}
}

func sameAppraisal(t *testing.T, want, got appraisal.Appraisal) {
	t.Helper()
	assert.Equal(t, want.VIN, got.VIN)
	assert.Equal(t, []any{want.Make, want.Model, want.Year, want.Mileage, want.Color, want.Owner, want.State},
		[]any{got.Make, got.Model, got.Year, got.Mileage, got.Color, got.Owner, got.State})
	assert.Equal(t, []crm.ID{want.LeadID, want.CustomerID, want.SaleID, want.TradeInSaleID},
		[]crm.ID{got.LeadID, got.CustomerID, got.SaleID, got.TradeInSaleID})
	assert.Equal(t, want.Justification, got.Justification)
	for _, m := range [][2]crm.Money{{want.ReferencePrice, got.ReferencePrice}, {want.Deductions, got.Deductions},
		{want.ProposedPrice, got.ProposedPrice}} {
		assert.True(t, m[0].Equal(m[1]), "%s != %s", m[0], m[1])
	}
	require.Len(t, got.Elements, len(want.Elements))
	for i := range want.Elements {
		w, g := want.Elements[i], got.Elements[i]
		assert.True(t, w.Deduction.Equal(g.Deduction), "element %d: %s != %s", i, w.Deduction, g.Deduction)
		w.Deduction, g.Deduction = crm.Money{}, crm.Money{}
		assert.Equal(t, w, g)
	}
	require.Len(t, got.Adjustments, len(want.Adjustments))
	for i := range want.Adjustments {
		assert.True(t, want.Adjustments[i].Amount.Equal(got.Adjustments[i].Amount))
		assert.Equal(t, want.Adjustments[i].Reason, got.Adjustments[i].Reason)
	}
	require.Len(t, got.PriceHistory, len(want.PriceHistory))
	for i := range want.PriceHistory {
		w, g := want.PriceHistory[i], got.PriceHistory[i]
		assert.Equal(t, []any{w.At, w.By, w.What}, []any{g.At, g.By, g.What})
		assert.True(t, w.Proposed.Equal(g.Proposed) && w.Deductions.Equal(g.Deductions) && w.Reference.Equal(g.Reference) &&
			w.Adjustment.Equal(g.Adjustment), "price change %d: %+v != %+v", i, w, g)
	}
	assert.Equal(t, want.History, got.History)
}

// appraisalEnv is one dealer with an appraiser (service advisor), an approver (sales manager) and the service.
type appraisalEnv struct {
	t         *testing.T
	b         Backend
	ctx       context.Context // as the appraiser
	approver  context.Context // as the sales manager
	dealer    crm.Dealer
	clock     *crm.ManualClock
	files     *files.Memory
	svc       *appraisal.Service
	appraiser crm.ID
}

func newAppraisalEnv(t *testing.T, b Backend, name string) *appraisalEnv {
	t.Helper()
	ctx, d := NewDealer(t, b, name)
	e := &appraisalEnv{t: t, b: b, dealer: d, clock: crm.NewManualClock(Epoch), files: files.NewMemory()}
	e.svc = appraisal.NewService(crm.NewUnit[appraisal.Stores](b, e.clock), e.clock, appraisal.WithFiles(e.files),
		appraisal.WithSniffer(http.DetectContentType))
	e.appraiser = e.user(ctx, crm.RoleServiceAdvisor)
	e.ctx = crm.WithActor(ctx, e.appraiser)
	e.approver = crm.WithActor(ctx, e.user(ctx, crm.RoleSalesManager))
	return e
}

// user creates a user of the dealer with role.
func (e *appraisalEnv) user(ctx context.Context, role crm.Role) crm.ID {
	e.t.Helper()
	u, err := crm.NewUser(e.dealer.ID, crm.User{Name: "Оценщик " + string(role), Role: role}, Epoch)
	require.NoError(e.t, err)
	require.NoError(e.t, crm.NewUnit[crm.Stores](e.b, nil).Update(ctx, func(ctx context.Context, s crm.Stores) error {
		return s.Users().Create(ctx, &u)
	}))
	return u.ID
}

func (e *appraisalEnv) create(n int) appraisal.Appraisal {
	e.t.Helper()
	a, err := e.svc.CreateAppraisal(e.ctx, appraisalInput(n))
	require.NoError(e.t, err)
	return a
}

// appraisalTemplateStore: a dealer has at most one template; it reads back, versions go up, a stale one and a
// second template are refused, a failed unit leaves none.
func appraisalTemplateStore(t *testing.T, open Open) {
	b := open(t)
	ctx, d := NewDealer(t, b, "Шаблон")
	unit := crm.NewUnit[appraisal.Stores](b, crm.NewManualClock(Epoch))
	get := func() (tp appraisal.Template, err error) {
		err = unit.View(ctx, func(ctx context.Context, s appraisal.Stores) (err error) {
			tp, err = s.AppraisalTemplates().Get(ctx)
			return err
		})
		return tp, err
	}
	_, err := get()
	assert.ErrorIs(t, err, crm.ErrNotFound, "no template yet")
	tp, err := appraisal.NewTemplate(d.ID, []appraisal.TemplateItem{{Area: appraisal.AreaBody, Name: "Капот"}}, Epoch)
	require.NoError(t, err)
	boom := errors.New("передумал")
	err = unit.Update(ctx, func(ctx context.Context, s appraisal.Stores) error {
		c := tp
		if err := s.AppraisalTemplates().Create(ctx, &c); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	_, err = get()
	assert.ErrorIs(t, err, crm.ErrNotFound, "the rolled-back template is gone")
	require.NoError(t, unit.Update(ctx, func(ctx context.Context, s appraisal.Stores) error {
		return s.AppraisalTemplates().Create(ctx, &tp)
	}))
	got, err := get()
	require.NoError(t, err)
	assert.Equal(t, tp.Meta, got.Meta)
	assert.Equal(t, tp.Items, got.Items)
	second, err := appraisal.NewTemplate(d.ID, []appraisal.TemplateItem{{Area: appraisal.AreaGlass, Name: "Стекло"}}, Epoch)
	require.NoError(t, err)
	err = unit.Update(ctx, func(ctx context.Context, s appraisal.Stores) error {
		return s.AppraisalTemplates().Create(ctx, &second)
	})
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "one template per dealer: %v", err)
	stale := got
	got.Items[0].Name = "Капот и крылья"
	require.NoError(t, unit.Update(ctx, func(ctx context.Context, s appraisal.Stores) error { return s.AppraisalTemplates().Update(ctx, &got) }))
	assert.EqualValues(t, 2, got.Version)
	err = unit.Update(ctx, func(ctx context.Context, s appraisal.Stores) error { return s.AppraisalTemplates().Update(ctx, &stale) })
	assert.ErrorIs(t, err, crm.ErrStaleVersion)
	again, err := get()
	require.NoError(t, err)
	assert.Equal(t, "Капот и крылья", again.Items[0].Name)
	ctxB, _ := NewDealer(t, b, "Другой")
	err = unit.View(ctxB, func(ctx context.Context, s appraisal.Stores) error {
		_, err := s.AppraisalTemplates().Get(ctx)
		return err
	})
	assert.ErrorIs(t, err, crm.ErrNotFound, "another dealer's template is not found")
}

func appraisalChecklistFromTemplate(t *testing.T, open Open) {
	e := newAppraisalEnv(t, open(t), "Оценка")
	a := e.create(1)
	assert.Equal(t, appraisal.StateDraft, a.State)
	require.Len(t, a.Elements, len(appraisal.DefaultTemplate()), "a dealer without a template gets the default one")
	areas := map[appraisal.Area]bool{}
	for _, el := range a.Elements {
		areas[el.Area] = true
		assert.Equal(t, appraisal.GradeUnchecked, el.Grade)
		assert.True(t, el.Deduction.Equal(crm.Zero("RUB")))
	}
	assert.Len(t, areas, len(appraisal.Areas()), "the default checklist covers every area")

	tp, err := e.svc.GetTemplate(e.ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 0, tp.Version, "the default template is not stored")
	items := []appraisal.TemplateItem{{Area: appraisal.AreaDocuments, Name: "ПТС"}, {Area: appraisal.AreaBody, Name: "Капот"},
		{Area: appraisal.AreaBody, Name: "Крыша"}}
	_, err = e.svc.SetTemplate(e.ctx, 5, items)
	assert.ErrorIs(t, err, crm.ErrStaleVersion, "version 5 of a template that is not stored")
	tp, err = e.svc.SetTemplate(e.ctx, 0, items)
	require.NoError(t, err)
	assert.EqualValues(t, 1, tp.Version)
	assert.Equal(t, []appraisal.TemplateItem{items[1], items[2], items[0]}, tp.Items, "grouped in the order of the areas")
	_, err = e.svc.SetTemplate(e.ctx, 1, []appraisal.TemplateItem{{Area: "roof", Name: ""}, {Area: appraisal.AreaBody, Name: "Капот"},
		{Area: appraisal.AreaBody, Name: " Капот "}})
	assert.Equal(t, []string{"elements[0].area", "elements[0].name", "elements[2].name"}, fieldNames(err))

	b := e.create(2)
	require.Len(t, b.Elements, 3, "a new sheet follows the edited template")
	assert.Equal(t, "Капот", b.Elements[0].Name)
	got, err := e.svc.GetAppraisal(e.ctx, a.ID)
	require.NoError(t, err)
	assert.Len(t, got.Elements, len(appraisal.DefaultTemplate()), "older sheets keep their checklists")
}

func appraisalPriceAndHistory(t *testing.T, open Open) {
	e := newAppraisalEnv(t, open(t), "Цена")
	a := e.create(1)
	poor, fair := appraisal.GradePoor, appraisal.GradeFair
	note := "вмятина 5 см, нужна покраска"
	e.clock.Advance(60_000_000_000)
	a, err := e.svc.EditElement(e.ctx, a.ID, a.Version, a.Elements[0].ID, appraisal.ElementChange{Grade: &poor, Note: &note,
		Deduction: ptr(crm.MustMoney("25000", "RUB"))})
	require.NoError(t, err)
	a, err = e.svc.EditElement(e.ctx, a.ID, a.Version, a.Elements[20].ID, appraisal.ElementChange{Grade: &fair,
		Deduction: ptr(crm.MustMoney("12000.50", "RUB"))})
	require.NoError(t, err)
	a, err = e.svc.EditElement(e.ctx, a.ID, a.Version, a.Elements[1].ID, appraisal.ElementChange{Note: ptr("без замечаний")})
	require.NoError(t, err)
	a, err = e.svc.EditAppraisal(e.ctx, a.ID, a.Version, appraisal.Changes{
		Adjustments: []appraisal.Adjustment{{Amount: crm.MustMoney("15000", "RUB"), Reason: "полная сервисная история"},
			{Amount: crm.MustMoney("-7000", "RUB"), Reason: "один ключ"}},
		Justification: ptr("Рыночная цена по Авито и Автотеке, минус ремонт капота и КПП")})
	require.NoError(t, err)
	// 900 000 − (25 000 + 12 000.50) + (15 000 − 7 000) = 870 999.50
	assert.Equal(t, "870999.50 RUB", a.ProposedPrice.String())
	assert.Equal(t, "37000.50 RUB", a.Deductions.String())
	var whats []string
	for _, p := range a.PriceHistory {
		whats = append(whats, p.What+"="+p.Proposed.StringAmount())
		assert.Equal(t, e.appraiser, p.By)
	}
	assert.Equal(t, []string{"created=900000.00", "element Капот (body)=875000.00",
		"element " + a.Elements[20].Name + " (" + string(a.Elements[20].Area) + ")=862999.50", "adjustments=870999.50"}, whats,
		"every price change is kept, a note alone changes no price")
	assert.Equal(t, Epoch.Add(60_000_000_000), a.PriceHistory[1].At)

	_, err = e.svc.EditElement(e.ctx, a.ID, a.Version, a.Elements[2].ID, appraisal.ElementChange{
		Deduction: ptr(crm.MustMoney("900000", "RUB"))})
	assert.Equal(t, []string{"deduction.amount"}, fieldNames(err), "the proposed price cannot go below zero: %v", err)
	_, err = e.svc.EditElement(e.ctx, a.ID, a.Version, a.Elements[2].ID, appraisal.ElementChange{Grade: ptr(appraisal.Grade("bad")),
		Deduction: ptr(crm.MustMoney("-1", "RUB"))})
	assert.Equal(t, []string{"grade", "deduction.amount"}, fieldNames(err))
	_, err = e.svc.EditElement(e.ctx, a.ID, a.Version, crm.NewID(), appraisal.ElementChange{Note: ptr("x")})
	assert.ErrorIs(t, err, crm.ErrNotFound)
	got, err := e.svc.GetAppraisal(e.ctx, a.ID)
	require.NoError(t, err)
	sameAppraisal(t, a, got)
}

func ptr[T any](v T) *T { return &v }

func appraisalInvalidSavesNothing(t *testing.T, open Open) {
	b := open(t)
	e := newAppraisalEnv(t, b, "Ошибки")
	other := newAppraisalEnv(t, b, "Соседи")
	theirs := newCustomer(t, b, other.ctx, "Чужой Клиент")
	in := appraisal.Input{Car: appraisal.Car{VIN: "Z94CB41AAJR00001O", Make: " ", Model: "Rio", Year: 1800, Mileage: -1},
		ReferencePrice: crm.MustMoney("0", "RUB"), LeadID: crm.NewID(), CustomerID: theirs.ID, SaleID: crm.NewID()}
	_, err := e.svc.CreateAppraisal(e.ctx, in)
	assert.ErrorIs(t, err, crm.ErrInvalid)
	assert.Equal(t, []string{"vin", "make", "year", "mileage", "reference_price.amount", "lead_id", "customer_id", "sale_id"},
		fieldNames(err))
	list, err := e.svc.ListAppraisals(e.ctx, appraisal.Query{}, crm.PageRequest{})
	require.NoError(t, err)
	assert.Empty(t, list.Items, "nothing saved")
}

func appraisalStatesAndApproval(t *testing.T, open Open) {
	e := newAppraisalEnv(t, open(t), "Состояния")
	a := e.create(1)
	_, err := e.svc.Transition(e.approver, a.ID, 0, appraisal.ActionApprove, "")
	assert.ErrorIs(t, err, appraisal.ErrTransition, "a draft is not approved")
	assert.Equal(t, appraisal.CodeTransition, crm.CodeOf(err))
	_, err = e.svc.Transition(e.ctx, a.ID, 0, appraisal.ActionSubmit, "")
	assert.Equal(t, []string{"justification"}, fieldNames(err), "no submission without a justification")
	a, err = e.svc.EditAppraisal(e.ctx, a.ID, 0, appraisal.Changes{Justification: ptr("по рынку")})
	require.NoError(t, err)
	a, err = e.svc.Transition(e.ctx, a.ID, a.Version, appraisal.ActionSubmit, "готово")
	require.NoError(t, err)
	assert.Equal(t, appraisal.StateSubmitted, a.State)
	_, err = e.svc.EditElement(e.ctx, a.ID, 0, a.Elements[0].ID, appraisal.ElementChange{Note: ptr("поздно")})
	assert.ErrorIs(t, err, appraisal.ErrNotDraft)
	_, err = e.svc.Transition(e.ctx, a.ID, 0, appraisal.ActionApprove, "")
	assert.ErrorIs(t, err, crm.ErrForbidden, "a service advisor may not approve")
	_, err = e.svc.Transition(crm.WithActor(e.ctx, crm.NewID()), a.ID, 0, appraisal.ActionApprove, "")
	assert.ErrorIs(t, err, crm.ErrForbidden, "nor may a stranger")
	_, err = e.svc.Transition(e.approver, a.ID, 0, appraisal.ActionReject, " ")
	assert.Equal(t, []string{"comment"}, fieldNames(err), "rejecting needs a comment")
	a, err = e.svc.Transition(e.approver, a.ID, a.Version, appraisal.ActionApprove, "согласовано")
	require.NoError(t, err)
	assert.Equal(t, appraisal.StateApproved, a.State)
	for _, act := range appraisal.Actions() {
		_, err = e.svc.Transition(e.approver, a.ID, 0, act, "ещё раз")
		assert.ErrorIs(t, err, appraisal.ErrTransition, "%s an approved sheet", act)
	}
	var path []string
	for _, h := range a.History {
		path = append(path, string(h.From)+">"+string(h.To))
	}
	assert.Equal(t, []string{">draft", "draft>submitted", "submitted>approved"}, path)
	assert.Equal(t, "согласовано", a.History[2].Comment)
	assert.Equal(t, crm.ActorFrom(e.approver), a.History[2].By)

	r := e.create(2)
	r, err = e.svc.EditAppraisal(e.ctx, r.ID, 0, appraisal.Changes{Justification: ptr("по рынку")})
	require.NoError(t, err)
	r, err = e.svc.Transition(e.ctx, r.ID, r.Version, appraisal.ActionSubmit, "")
	require.NoError(t, err)
	r, err = e.svc.Transition(e.approver, r.ID, r.Version, appraisal.ActionReject, "цена выше рынка")
	require.NoError(t, err)
	assert.Equal(t, appraisal.StateRejected, r.State)
	_, err = e.svc.Transition(e.approver, r.ID, 0, appraisal.ActionApprove, "")
	assert.ErrorIs(t, err, appraisal.ErrTransition)
}

// Minimal files of each kind: what http.DetectContentType recognises.
var (
	pngBytes  = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
	jpegBytes = append([]byte("\xFF\xD8\xFF\xE0"), bytes.Repeat([]byte{1}, 64)...)
	pdfBytes  = []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
)

func appraisalFiles(t *testing.T, open Open) {
	e := newAppraisalEnv(t, open(t), "Фото")
	a := e.create(1)
	photo, err := e.svc.AttachFile(e.ctx, a.ID, appraisal.Upload{Name: "капот спереди.png", Data: pngBytes})
	require.NoError(t, err)
	assert.Equal(t, appraisal.PhotoKind, photo.Kind)
	assert.Equal(t, "image/png", photo.ContentType)
	assert.Equal(t, "капот спереди.png", photo.Name)
	e.clock.Advance(1_000_000_000)
	scan, err := e.svc.AttachFile(e.ctx, a.ID, appraisal.Upload{Name: "ПТС скан", Data: pdfBytes})
	require.NoError(t, err)
	assert.Equal(t, appraisal.DocumentKind, scan.Kind)
	assert.Equal(t, "ПТС скан.pdf", scan.Name, "the type's extension is added")
	jpg, err := e.svc.AttachFile(e.ctx, a.ID, appraisal.Upload{Name: "салон.png", Data: jpegBytes})
	require.NoError(t, err)
	assert.Equal(t, "image/jpeg", jpg.ContentType, "the bytes decide, not the name")
	assert.Equal(t, "салон.png.jpg", jpg.Name)

	hostile := []struct {
		name  string
		u     appraisal.Upload
		field string
	}{
		{"a script", appraisal.Upload{Name: "x.png", Data: []byte("<html><script>alert(1)</script></html>")}, "file"},
		{"an executable", appraisal.Upload{Name: "x.pdf", Data: append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 64)...)}, "file"},
		{"a zip", appraisal.Upload{Name: "x.jpg", Data: []byte("PK\x03\x04 zip archive with something inside")}, "file"},
		{"too big", appraisal.Upload{Name: "big.png", Data: append(append([]byte(nil), pngBytes...), make([]byte, appraisal.MaxFileSize)...)}, "file"},
		{"empty", appraisal.Upload{Name: "empty.png"}, "file"},
		{"a path", appraisal.Upload{Name: "../../etc/passwd.png", Data: pngBytes}, "file.name"},
		{"a windows path", appraisal.Upload{Name: `C:\Users\x.png`, Data: pngBytes}, "file.name"},
		{"a nested name", appraisal.Upload{Name: "dir/x.png", Data: pngBytes}, "file.name"},
	}
	for _, h := range hostile {
		_, err := e.svc.AttachFile(e.ctx, a.ID, h.u)
		assert.ErrorIs(t, err, crm.ErrInvalid, h.name)
		assert.Equal(t, []string{h.field}, fieldNames(err), h.name)
	}
	docs, err := e.svc.ListFiles(e.ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, docs, 3, "the refused uploads left no record")
	assert.Equal(t, 3, e.files.Len(), "nor bytes")
	assert.ElementsMatch(t, []crm.ID{photo.ID, scan.ID, jpg.ID}, []crm.ID{docs[0].ID, docs[1].ID, docs[2].ID})

	got, data, err := e.svc.ReadFile(e.ctx, a.ID, scan.ID)
	require.NoError(t, err)
	assert.Equal(t, pdfBytes, data)
	assert.Equal(t, scan, got)
	_, _, err = e.svc.ReadFile(e.ctx, e.create(2).ID, scan.ID)
	assert.ErrorIs(t, err, crm.ErrNotFound, "a file of another sheet")

	a, err = e.svc.EditAppraisal(e.ctx, a.ID, 0, appraisal.Changes{Justification: ptr("по рынку")})
	require.NoError(t, err)
	_, err = e.svc.Transition(e.ctx, a.ID, 0, appraisal.ActionSubmit, "")
	require.NoError(t, err)
	_, err = e.svc.Transition(e.approver, a.ID, 0, appraisal.ActionApprove, "")
	require.NoError(t, err)
	_, err = e.svc.AttachFile(e.ctx, a.ID, appraisal.Upload{Name: "late.png", Data: pngBytes})
	assert.ErrorIs(t, err, appraisal.ErrNotDraft, "an approved sheet takes no more files")
}

func appraisalDealerIsolation(t *testing.T, open Open) {
	b := open(t)
	e := newAppraisalEnv(t, b, "Мы")
	other := newAppraisalEnv(t, b, "Они")
	a := e.create(1)
	_, err := e.svc.SetTemplate(e.ctx, 0, []appraisal.TemplateItem{{Area: appraisal.AreaBody, Name: "Только наш"}})
	require.NoError(t, err)
	photo, err := e.svc.AttachFile(e.ctx, a.ID, appraisal.Upload{Name: "a.png", Data: pngBytes})
	require.NoError(t, err)

	_, err = other.svc.GetAppraisal(other.ctx, a.ID)
	assert.ErrorIs(t, err, crm.ErrNotFound)
	_, err = other.svc.EditElement(other.ctx, a.ID, 0, a.Elements[0].ID, appraisal.ElementChange{Note: ptr("x")})
	assert.ErrorIs(t, err, crm.ErrNotFound)
	_, err = other.svc.Transition(other.approver, a.ID, 0, appraisal.ActionSubmit, "")
	assert.ErrorIs(t, err, crm.ErrNotFound)
	_, err = other.svc.AttachFile(other.ctx, a.ID, appraisal.Upload{Name: "a.png", Data: pngBytes})
	assert.ErrorIs(t, err, crm.ErrNotFound)
	_, _, err = other.svc.ReadFile(other.ctx, a.ID, photo.ID)
	assert.ErrorIs(t, err, crm.ErrNotFound)
	list, err := other.svc.ListAppraisals(other.ctx, appraisal.Query{}, crm.PageRequest{})
	require.NoError(t, err)
	assert.Empty(t, list.Items)
	tp, err := other.svc.GetTemplate(other.ctx)
	require.NoError(t, err)
	assert.Len(t, tp.Items, len(appraisal.DefaultTemplate()), "our template is ours")
	_, err = e.svc.GetAppraisal(context.Background(), a.ID)
	assert.ErrorIs(t, err, crm.ErrForbidden, "no dealer in the context")
}

// appraisalOneOfTwentyWriters: twenty writers holding one version, each deducting for another element: exactly
// one succeeds, the others are refused as stale, and the price counts one deduction.
func appraisalOneOfTwentyWriters(t *testing.T, open Open) {
	e := newAppraisalEnv(t, open(t), "Гонка")
	a := e.create(1)
	const n = 20
	var wg sync.WaitGroup
	var ok, stale atomic.Int32
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := e.svc.EditElement(e.ctx, a.ID, a.Version, a.Elements[i].ID, appraisal.ElementChange{
				Deduction: ptr(crm.MustMoney("1000", "RUB"))})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, crm.ErrStaleVersion):
				stale.Add(1)
			default:
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	assert.EqualValues(t, 1, ok.Load())
	assert.EqualValues(t, n-1, stale.Load())
	got, err := e.svc.GetAppraisal(e.ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "899000.00 RUB", got.ProposedPrice.String())
	assert.Len(t, got.PriceHistory, 2)
	assert.EqualValues(t, 2, got.Version)
}

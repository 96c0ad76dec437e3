package leads_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	epoch  = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) // 12:00 in Moscow
	dealer = crm.NewID()
	user   = crm.NewID()
)

func validLead() leads.Lead {
	return leads.Lead{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров", Phones: []string{"8 (900) 000-00-00"},
		Emails: []string{" Ivan@Example.ORG "}}, Source: leads.SourceWebsite, NeedType: leads.NeedCarPurchase,
		Interest: leads.Interest{Make: "Lada", Model: "Vesta"}}
}

func fieldsOf(err error) map[string]bool {
	out := map[string]bool{}
	for _, f := range crm.FieldsOf(err) {
		out[f.Field] = true
	}
	return out
}

func TestNewLeadNormalisesAndStartsNew(t *testing.T) {
	l, err := leads.NewLead(dealer, validLead(), user, epoch)
	require.NoError(t, err)
	assert.Equal(t, []string{"+79000000000"}, l.Contact.Phones)
	assert.Equal(t, []string{"ivan@example.org"}, l.Contact.Emails)
	assert.Equal(t, crm.Person, l.Contact.Kind)
	assert.Equal(t, leads.StageNew, l.Stage)
	assert.Equal(t, dealer, l.DealerID)
	require.Len(t, l.History, 1)
	assert.Equal(t, leads.StageChange{To: leads.StageNew, By: user, At: epoch}, l.History[0])
	assert.Equal(t, "ivan@example.org", l.Recipient())
	assert.Contains(t, l.SearchText(), "петров")

	company := validLead()
	company.Contact = crm.Contact{Kind: crm.Company, CompanyName: "ООО «Ромашка»", Phones: []string{"+7 495 123-45-67"}}
	l, err = leads.NewLead(dealer, company, user, epoch)
	require.NoError(t, err)
	assert.Equal(t, "+74951234567", l.Recipient())
}

func TestNewLeadNamesBadFields(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*leads.Lead)
		field string
	}{
		{"no name", func(l *leads.Lead) { l.Contact.FirstName, l.Contact.LastName = "", "" }, "contact.name"},
		{"no way to reach", func(l *leads.Lead) { l.Contact.Phones, l.Contact.Emails = nil, nil }, "contact.phone"},
		{"bad email", func(l *leads.Lead) { l.Contact.Emails = []string{"not-an-address"} }, "contact.email"},
		{"bad phone", func(l *leads.Lead) { l.Contact.Phones = []string{"12"} }, "contact.phone"},
		{"company without name", func(l *leads.Lead) { l.Contact.Kind = crm.Company }, "contact.company_name"},
		{"unknown source", func(l *leads.Lead) { l.Source = "fax" }, "source"},
		{"no source", func(l *leads.Lead) { l.Source = "" }, "source"},
		{"no need type", func(l *leads.Lead) { l.NeedType = " " }, "need_type"},
		{"year", func(l *leads.Lead) { l.Interest.Year = -1 }, "interest.year"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validLead()
			tc.edit(&in)
			_, err := leads.NewLead(dealer, in, user, epoch)
			require.Error(t, err)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			assert.True(t, fieldsOf(err)[tc.field], "want field %s in %v", tc.field, crm.FieldsOf(err))
		})
	}
}

func TestSourcesAreExactlyTheCodes(t *testing.T) {
	var codes []string
	for _, s := range leads.Sources {
		codes = append(codes, string(s))
		assert.True(t, s.Valid())
	}
	assert.Equal(t, []string{"website", "phone", "walk_in", "partner", "campaign", "import"}, codes)
}

func TestDirectoriesDefaults(t *testing.T) {
	var nts []string
	for _, n := range leads.DefaultNeedTypes() {
		nts = append(nts, n.Code+"="+n.Name)
		assert.True(t, n.Active)
	}
	assert.Equal(t, []string{"car_purchase=Покупка автомобиля", "trade_in=Trade in", "spare_parts=Запасные части",
		"accessories=Аксессуары", "service=Сервис"}, nts)
	var stages []string
	last := 0
	for _, s := range leads.DefaultLeadStages() {
		stages = append(stages, s.Code)
		assert.NotEmpty(t, s.NameEn, s.Code)
		assert.Regexp(t, `^\p{Cyrillic}`, s.Name, "the seeded stages are named in Russian")
		assert.Greater(t, s.Order, last)
		last = s.Order
		assert.Equal(t, s.Code == leads.StageDisqualified, s.RequiresReason, s.Code)
	}
	assert.Equal(t, []string{"new", "in_work", "qualified", "converted", "disqualified"}, stages)
}

func TestStageGraph(t *testing.T) {
	allowed := map[string]bool{
		"new>in_work": true, "new>qualified": true, "new>disqualified": true,
		"in_work>qualified": true, "in_work>disqualified": true,
		"qualified>in_work": true, "qualified>disqualified": true,
		"disqualified>in_work": true,
	}
	all := []string{"new", "in_work", "qualified", "converted", "disqualified"}
	for _, from := range all {
		for _, to := range all {
			name := from + ">" + to
			t.Run(name, func(t *testing.T) {
				l, err := leads.NewLead(dealer, validLead(), user, epoch)
				require.NoError(t, err)
				l.Stage = from
				err = l.MoveStage(to, "no budget", user, epoch.Add(time.Hour))
				if allowed[name] {
					require.NoError(t, err)
					assert.Equal(t, to, l.Stage)
					last := l.History[len(l.History)-1]
					assert.Equal(t, leads.StageChange{From: from, To: to, Reason: "no budget", By: user, At: epoch.Add(time.Hour)}, last)
					return
				}
				require.Error(t, err)
				assert.True(t, errors.Is(err, leads.ErrStageTransition), "%v", err)
				assert.True(t, errors.Is(err, crm.ErrConflict))
				assert.Equal(t, from, l.Stage)
			})
		}
	}
}

func TestMoveStageValidates(t *testing.T) {
	l, err := leads.NewLead(dealer, validLead(), user, epoch)
	require.NoError(t, err)
	err = l.MoveStage(leads.StageDisqualified, "  ", user, epoch)
	assert.True(t, fieldsOf(err)["reason"], "%v", err)
	err = l.MoveStage("won", "", user, epoch)
	assert.True(t, fieldsOf(err)["stage"], "%v", err)
	assert.Equal(t, leads.StageNew, l.Stage)
	assert.Len(t, l.History, 1)

	require.NoError(t, l.MoveStage(leads.StageDisqualified, "купил в другом месте", user, epoch))
	assert.Equal(t, "купил в другом месте", l.StageReason)
	require.NoError(t, l.MoveStage(leads.StageInWork, "", user, epoch), "reopening")
	assert.Empty(t, l.StageReason)
}

func TestConvert(t *testing.T) {
	sale, customer := crm.NewID(), crm.NewID()
	l, err := leads.NewLead(dealer, validLead(), user, epoch)
	require.NoError(t, err)
	require.NoError(t, l.MoveStage(leads.StageQualified, "", user, epoch))
	require.NoError(t, l.Convert(sale, customer, user, epoch.Add(time.Hour)))
	assert.Equal(t, leads.StageConverted, l.Stage)
	assert.Equal(t, sale, l.SaleID)
	assert.Equal(t, customer, l.CustomerID)
	assert.Equal(t, leads.StageChange{From: leads.StageQualified, To: leads.StageConverted, By: user, At: epoch.Add(time.Hour)}, l.History[len(l.History)-1])

	err = l.Convert(crm.NewID(), customer, user, epoch)
	assert.True(t, errors.Is(err, leads.ErrLeadClosed) && errors.Is(err, crm.ErrConflict), "%v", err)
	err = l.MoveStage(leads.StageInWork, "", user, epoch)
	assert.True(t, errors.Is(err, leads.ErrStageTransition), "nothing leaves converted: %v", err)

	d, _ := leads.NewLead(dealer, validLead(), user, epoch)
	require.NoError(t, d.MoveStage(leads.StageDisqualified, "spam", user, epoch))
	err = d.Convert(sale, customer, user, epoch)
	assert.True(t, errors.Is(err, leads.ErrLeadClosed), "%v", err)
	err = d.MoveStage(leads.StageConverted, "", user, epoch)
	assert.True(t, errors.Is(err, leads.ErrStageTransition), "%v", err)

	o, _ := leads.NewLead(dealer, validLead(), user, epoch)
	err = o.Convert(crm.ID{}, crm.ID{}, user, epoch)
	assert.Equal(t, map[string]bool{"sale_id": true, "customer_id": true}, fieldsOf(err))
}

func TestAssignOwnerAndEdit(t *testing.T) {
	l, _ := leads.NewLead(dealer, validLead(), user, epoch)
	owner := crm.NewID()
	require.NoError(t, l.AssignOwner(owner, epoch))
	assert.Equal(t, owner, l.OwnerID)
	assert.True(t, fieldsOf(l.AssignOwner(crm.ID{}, epoch))["owner_id"])

	in := validLead()
	in.Comments = "  перезвонить вечером "
	in.Source = leads.SourcePhone
	require.NoError(t, l.Edit(in, epoch.Add(time.Minute)))
	assert.Equal(t, "перезвонить вечером", l.Comments)
	assert.Equal(t, leads.SourcePhone, l.Source)
	assert.Equal(t, leads.StageNew, l.Stage, "Edit leaves the stage alone")
	in.Source = "pigeon"
	assert.True(t, fieldsOf(l.Edit(in, epoch))["source"])
	assert.Equal(t, leads.SourcePhone, l.Source)

	require.NoError(t, l.MoveStage(leads.StageDisqualified, "spam", user, epoch))
	assert.True(t, errors.Is(l.AssignOwner(owner, epoch), leads.ErrLeadClosed))
}

func TestLeadCloneIsDeep(t *testing.T) {
	l, _ := leads.NewLead(dealer, validLead(), user, epoch)
	price := crm.MustMoney("900000", "RUB")
	l.TradeIn = &leads.VehicleOfInterest{Make: "Kia", Price: &price}
	l.DuplicateLeadIDs = []crm.ID{crm.NewID()}
	c := l.Clone()
	c.Contact.Phones[0] = "x"
	c.History[0].To = "x"
	c.TradeIn.Make = "x"
	c.DuplicateLeadIDs[0] = crm.ID{}
	assert.Equal(t, "+79000000000", l.Contact.Phones[0])
	assert.Equal(t, leads.StageNew, l.History[0].To)
	assert.Equal(t, "Kia", l.TradeIn.Make)
	assert.NotEqual(t, crm.ID{}, l.DuplicateLeadIDs[0])
}

func TestCursorRoundTrip(t *testing.T) {
	id := crm.NewID()
	at := time.Date(2026, 11, 27, 9, 0, 0, 123456000, time.UTC)
	gotAt, gotID, err := leads.LeadList.DecodeTime("op", leads.LeadList.TimeCursor(at, id))
	require.NoError(t, err)
	assert.True(t, gotAt.Equal(at))
	assert.Equal(t, id, gotID)
	for _, bad := range []string{"!!", "bm9wZQ", leads.LeadList.TimeCursor(at, id)[:5], leads.OverdueList.TimeCursor(at, id),
		leads.CalendarList.TimeCursor(at, id)} {
		_, _, err := leads.LeadList.DecodeTime("op", bad)
		assert.True(t, fieldsOf(err)["cursor"], "%q: %v", bad, err)
	}
	assert.Equal(t, 50, crm.PageLimit(0))
	assert.Equal(t, 500, crm.PageLimit(10000))
	assert.Equal(t, 7, crm.PageLimit(7))
}

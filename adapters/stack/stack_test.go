package stack_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var epoch = time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC) // 10:00 in Moscow

// backends are the storage adapters the stack is assembled over in these tests.
var backends = map[string]func(t *testing.T) stack.Backend{
	"memory":   func(t *testing.T) stack.Backend { return memory.New() },
	"postgres": func(t *testing.T) stack.Backend { return pgtest.Open(t) },
}

func TestAddDealerSeedsTheDirectories(t *testing.T) {
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			st := stack.New(open(t), crm.NewManualClock(epoch))
			ctx := context.Background()
			d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр Юг", LegalName: "ООО «Юг-Моторс»"})
			require.NoError(t, err)
			assert.Equal(t, crm.Currency("RUB"), d.Currency)
			dctx := crm.WithDealer(ctx, d.ID)
			stages, err := st.Sales.ListStages(dctx)
			require.NoError(t, err)
			assert.Len(t, stages, len(sales.DefaultStages()))
			needs, err := st.Leads.ListNeedTypes(dctx)
			require.NoError(t, err)
			assert.Len(t, needs, len(leads.DefaultNeedTypes()))
			require.NoError(t, st.SeedDirectories(dctx), "seeding again is harmless")
			stages, err = st.Sales.ListStages(dctx)
			require.NoError(t, err)
			assert.Len(t, stages, len(sales.DefaultStages()))

			all, err := st.Dealers(ctx)
			require.NoError(t, err)
			require.Len(t, all, 1)
			assert.Equal(t, d.ID, all[0].ID)

			_, err = st.AddDealer(ctx, crm.Dealer{Name: "Без юрлица"})
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
		})
	}
}

func TestUsersAndKeys(t *testing.T) {
	st := stack.New(memory.New(), crm.NewManualClock(epoch))
	ctx := context.Background()
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»"})
	require.NoError(t, err)
	_, err = st.AddUser(ctx, crm.User{Name: "Без дилера", Role: crm.RoleAdmin})
	assert.True(t, errors.Is(err, crm.ErrForbidden), "a user needs the dealer in the context: %v", err)
	dctx := crm.WithDealer(ctx, d.ID)
	_, err = st.AddUser(dctx, crm.User{Name: "Начальник", Role: "boss"})
	assert.True(t, errors.Is(err, crm.ErrInvalid))
	u, err := st.AddUser(dctx, crm.User{Name: "Ольга Кузнецова", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	users, err := st.Users(dctx)
	require.NoError(t, err)
	require.Len(t, users, 1)

	token, err := st.IssueAPIKey(ctx, u, "test")
	require.NoError(t, err)
	got, err := httpapi.NewKeyAuthenticator(st.Kernel).Authenticate(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, u.ID, got.ID)
	assert.Equal(t, d.ID, got.DealerID)
}

func TestRelayAllDeliversEveryDealersNotices(t *testing.T) {
	var mu sync.Mutex
	var got []string
	notify := stack.NotifierFunc(func(ctx context.Context, m crm.Message) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, m.Recipient)
		return nil
	})
	st := stack.New(memory.New(), crm.NewManualClock(epoch), stack.WithNotifier(notify))
	ctx := context.Background()
	for i, phone := range []string{"+79000000001", "+79000000002"} {
		d, err := st.AddDealer(ctx, crm.Dealer{Name: []string{"Север", "Юг"}[i], LegalName: "ООО «Дилер»"})
		require.NoError(t, err)
		dctx := crm.WithDealer(ctx, d.ID)
		v, err := st.Catalog.CreateVehicle(dctx, catalog.Vehicle{VIN: catalog.VIN("XTAGFL110TY00000" + string(rune('1'+i))), Make: "Lada", Model: "Vesta", Year: 2026})
		require.NoError(t, err)
		l, err := st.Leads.CreateLead(dctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", Phones: []string{phone}},
			Source: leads.SourcePhone, NeedType: leads.NeedCarPurchase})
		require.NoError(t, err)
		_, err = st.Leads.BookTestDrive(dctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Now: true})
		require.NoError(t, err)
	}
	n, err := st.RelayAll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.ElementsMatch(t, []string{"+79000000001", "+79000000002"}, got)
	n, err = st.RelayAll(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing is sent twice")
}

func TestOptionsAndDefaults(t *testing.T) {
	st := stack.New(memory.New(), nil)
	assert.Equal(t, crm.SystemClock{}, st.Clock)
	assert.Equal(t, "application/pdf", st.ContractPDF.ContentType())
	assert.Contains(t, st.ContractHTML.ContentType(), "text/html")
	assert.NotNil(t, st.Files)

	fs := files.NewMemory()
	html := st.ContractHTML
	st = stack.New(memory.New(), nil, stack.WithFiles(fs), stack.WithContractRenderers(html, nil),
		stack.WithLeadsConfig(leads.Config{SlotLength: time.Hour}))
	assert.Same(t, fs, st.Files)
	assert.Contains(t, st.ContractPDF.ContentType(), "text/html", "the given renderer is used")
	assert.Equal(t, time.Hour, st.Leads.Config().SlotLength)
}

func TestHTTPConfigServesEveryArea(t *testing.T) {
	st := stack.New(memory.New(), crm.NewManualClock(epoch))
	h, err := httpapi.New(st.HTTPConfig())
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/openapi.json")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	doc := string(h.OpenAPI())
	for _, path := range []string{"/api/v1/vehicles", "/api/v1/leads", "/api/v1/sales/{id}/win", "/api/v1/customer-vehicles",
		"/api/v1/sales/{id}/contract.pdf", "/api/v1/sales/{id}/contract.html", "/api/v1/leads/import"} {
		assert.Contains(t, doc, `"`+path+`"`)
	}
}

func TestExpireAllEndsEveryDealersRunOutHolds(t *testing.T) {
	clock := crm.NewManualClock(epoch)
	st := stack.New(memory.New(), clock)
	ctx := context.Background()
	var cars []crm.ID
	var scopes []context.Context
	for i, name := range []string{"Север", "Юг"} {
		d, err := st.AddDealer(ctx, crm.Dealer{Name: name, LegalName: "ООО «Дилер»"})
		require.NoError(t, err)
		dctx := crm.WithDealer(ctx, d.ID)
		v, err := st.Catalog.CreateVehicle(dctx, catalog.Vehicle{VIN: catalog.VIN("XTAGFL110TY00000" + string(rune('1'+i))),
			Make: "Lada", Model: "Vesta", Year: 2026})
		require.NoError(t, err)
		l, err := st.Leads.CreateLead(dctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван",
			Phones: []string{"+7900000000" + string(rune('1'+i))}}, Source: leads.SourcePhone, NeedType: leads.NeedCarPurchase})
		require.NoError(t, err)
		_, err = st.Leads.BookTestDrive(dctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Now: true})
		require.NoError(t, err)
		cars, scopes = append(cars, v.ID), append(scopes, dctx)
	}
	n, err := st.ExpireAll(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
	clock.Advance(24 * time.Hour)
	n, err = st.ExpireAll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	for i, id := range cars {
		v, err := st.Catalog.GetVehicle(scopes[i], id)
		require.NoError(t, err)
		assert.Equal(t, catalog.StatusInStock, v.Status)
	}
}

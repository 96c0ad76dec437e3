package loadgen_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/examples/load/loadgen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realAPI serves the real API over a fresh memory stack and returns its URL, a sales manager's token and the stack.
func realAPI(t *testing.T) (string, string, *stack.Stack) {
	t.Helper()
	ctx := context.Background()
	st := stack.New(memory.New(), crm.SystemClock{})
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	require.NoError(t, err)
	u, err := st.AddUser(crm.WithDealer(ctx, d.ID), crm.User{Name: "Менеджер", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	token, err := st.IssueAPIKey(ctx, u, "load")
	require.NoError(t, err)
	h, err := httpapi.New(st.HTTPConfig())
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, token, st
}

func TestEveryRouteSucceedsOnTheRealAPI(t *testing.T) {
	base, token, st := realAPI(t)
	target := loadgen.Target{Base: base, Token: token, Client: loadgen.NewClient(3)}
	fx, err := loadgen.Setup(context.Background(), target, 3)
	require.NoError(t, err)
	routes := target.Routes(fx)
	for _, name := range loadgen.RouteOrder {
		t.Run(name, func(t *testing.T) {
			res := loadgen.Run(context.Background(), target.Client, routes[name],
				loadgen.Limits{Duration: 10 * time.Second, MaxRequests: 60, Concurrency: 3})
			assert.Equal(t, 60, res.Requests, "bounded by the request count")
			assert.Zero(t, res.Errors, res.FirstErr)
			assert.Len(t, res.Latencies, 60)
			assert.Positive(t, res.PerSecond())
			assert.LessOrEqual(t, res.Percentile(50), res.Percentile(99))
		})
	}
	// The bookings reserved each worker's car, and none collided.
	total := 0
	for _, id := range fx.Vehicles {
		vid, err := crm.ParseID("id", id)
		require.NoError(t, err)
		ctx := crm.WithDealer(context.Background(), mustDealer(t, st))
		v, err := st.Catalog.GetVehicle(ctx, vid)
		require.NoError(t, err)
		drives, err := st.Leads.ListVehicleTestDrives(ctx, vid)
		require.NoError(t, err)
		if len(drives) > 0 {
			assert.Equal(t, catalog.StatusReserved, v.Status)
		}
		total += len(drives)
	}
	assert.Equal(t, 60, total)
}

func mustDealer(t *testing.T, st *stack.Stack) crm.ID {
	ds, err := st.Dealers(context.Background())
	require.NoError(t, err)
	require.Len(t, ds, 1)
	return ds[0].ID
}

func TestRunStopsAtTheDeadline(t *testing.T) {
	srv := httptest.NewServer(loadgen.Baseline())
	defer srv.Close()
	target := loadgen.Target{Base: srv.URL, Token: "x", Client: loadgen.NewClient(2)}
	fx, err := loadgen.Setup(context.Background(), target, 2)
	require.NoError(t, err)
	start := time.Now()
	res := loadgen.Run(context.Background(), target.Client, target.Routes(fx)["get"],
		loadgen.Limits{Duration: 200 * time.Millisecond, Concurrency: 2})
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Positive(t, res.Requests)
	assert.Zero(t, res.Errors, res.FirstErr)
}

func TestErrorsAreCounted(t *testing.T) {
	srv := httptest.NewServer(loadgen.Baseline())
	defer srv.Close()
	noToken := loadgen.Route{Name: "GET /api/v1/vehicles", Want: 200, // without a token: 401
		New: func(w, i int) (*http.Request, error) { return http.NewRequest("GET", srv.URL+"/api/v1/vehicles", nil) }}
	res := loadgen.Run(context.Background(), loadgen.NewClient(1), noToken,
		loadgen.Limits{Duration: 5 * time.Second, MaxRequests: 5, Concurrency: 1})
	assert.Equal(t, 5, res.Errors)
	assert.Contains(t, res.FirstErr, "status 401, want 200")
	var out bytes.Buffer
	loadgen.PrintHeader(&out)
	loadgen.Print(&out, res)
	loadgen.PrintMarkdown(&out, []loadgen.Result{res})
	assert.Contains(t, out.String(), "first error:")
	assert.Contains(t, out.String(), "| `GET /api/v1/vehicles` | 5 | 5 | ")
	assert.Equal(t, 6, strings.Count(out.String(), "\n"), out.String())
}

func TestPercentile(t *testing.T) {
	r := loadgen.Result{}
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(101-i)*time.Millisecond)
	}
	assert.Equal(t, 50*time.Millisecond, r.Percentile(50))
	assert.Equal(t, 95*time.Millisecond, r.Percentile(95))
	assert.Equal(t, 99*time.Millisecond, r.Percentile(99))
	assert.Equal(t, 100*time.Millisecond, r.Percentile(100))
	assert.Zero(t, loadgen.Result{}.Percentile(50))
}

func TestVIN(t *testing.T) {
	v := loadgen.VIN("1M8GDM9A0KP042788")
	assert.Equal(t, "1M8GDM9AXKP042788", v, "the public example with check digit X")
	_, err := catalog.ParseVIN(loadgen.VIN("XTAABCDE0TL000001"), true)
	assert.NoError(t, err)
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/examples/internal/demo"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium returns the path of Debian's Chromium: $CHROMIUM, else chromium or chromium-browser on the PATH.
// Without one the test is skipped, except with CI=true, where it fails (.ci/run installs it).
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is required in CI: install it (apt-get install chromium) or set CHROMIUM")
	}
	t.Skip("no chromium on the PATH (set CHROMIUM, or apt-get install chromium); with CI=true this fails")
	return ""
}

// dashboardServer is the example server's handler (the API and the dashboard) over the demo data, on a clock in
// the demo's day, with a test drive and a service appointment booked for that day.
func dashboardServer(t *testing.T) (srv *httptest.Server, token string, day time.Time) {
	t.Helper()
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)) // 09:00 in Moscow
	st := stack.New(memory.New(), clock)
	data, err := demo.Seed(ctx, st, 1)
	require.NoError(t, err)
	d := data.Dealers[0]
	manager, advisor := d.Users[1], d.Users[2]
	require.Equal(t, crm.RoleSalesManager, manager.Role)
	token, err = st.IssueAPIKey(ctx, manager, "dashboard test")
	require.NoError(t, err)
	dctx := crm.WithDealer(ctx, d.ID)
	var car catalog.Vehicle
	for _, v := range d.Vehicles {
		if v.Status == catalog.StatusInStock {
			car = v
			break
		}
	}
	_, err = st.Leads.BookTestDrive(crm.WithActor(dctx, manager.ID), leads.TestDriveBooking{CustomerID: d.Sales[0].CustomerID,
		VehicleID: car.ID, Start: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	require.NotEmpty(t, d.CustomerVehicles)
	_, err = st.Aftersales.BookAppointment(crm.WithActor(dctx, advisor.ID), aftersales.AppointmentBooking{
		CustomerVehicleID: d.CustomerVehicles[0].ID, Start: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC),
		End: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Bay: "1"})
	require.NoError(t, err)
	h, err := httpapi.New(st.HTTPConfig())
	require.NoError(t, err)
	srv = httptest.NewServer(withDashboard(h))
	t.Cleanup(srv.Close)
	return srv, token, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
}

// getJSON GETs a public API path with the token and decodes the answer.
func getJSON(t *testing.T, base, token, path string, out any) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode, "%s: %s", path, b)
	require.NoError(t, json.Unmarshal(b, out), "%s", b)
}

// pageRow is a row of a dashboard table as the page shows it: its key and its cells' data-value by field.
type pageRow struct {
	Key    string            `json:"key"`
	Fields map[string]string `json:"fields"`
}

// sourceNamesRu are the Russian names the page gives the lead sources (the API answers their codes).
var sourceNamesRu = map[string]string{"website": "Сайт", "phone": "Телефон", "walk_in": "Визит в салон", "partner": "Партнёр",
	"campaign": "Рекламная кампания", "import": "Импорт"}

// readPage is the script that reads every table and chart of the dashboard.
const readPage = `(() => {
  const tables = {};
  for (const tb of document.querySelectorAll("table[data-report]")) {
    tables[tb.dataset.report] = [...tb.querySelectorAll("tbody tr[data-key]")].map((tr) => ({
      key: tr.dataset.key,
      fields: Object.fromEntries([...tr.querySelectorAll("[data-field]")].map((c) => [c.dataset.field, c.dataset.value])),
    }));
  }
  const charts = {};
  for (const c of document.querySelectorAll("canvas")) {
    const ch = Chart.getChart(c);
    charts[c.id] = { label: c.getAttribute("aria-label"), labels: ch.data.labels.map(String),
      datasets: ch.data.datasets.map((d) => d.data.map(Number)) };
  }
  return JSON.stringify({ tables, charts, lang: document.documentElement.lang, title: document.querySelector("h1").textContent,
    token: sessionStorage.getItem("dealercrm.token"), tokenLabel: document.querySelector("label[for=token]").textContent });
})()`

type pageState struct {
	Tables map[string][]pageRow `json:"tables"`
	Charts map[string]struct {
		Label    string      `json:"label"`
		Labels   []string    `json:"labels"`
		Datasets [][]float64 `json:"datasets"`
	} `json:"charts"`
	Lang, Title, Token, TokenLabel string
}

// TestDashboardInChromium opens /dashboard in headless Chromium against the example server with the demo data:
// the token is entered once (and kept in sessionStorage: a reload needs no login), the page loads with no console
// error, and every chart and table shows exactly what the public API answers; the English page too. A screenshot is
// written under the test's temp dir (and to $DASHBOARD_SCREENSHOT when set, for docs/dashboard.png).
func TestDashboardInChromium(t *testing.T) {
	exe := chromium(t)
	srv, token, day := dashboardServer(t)

	actx, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(1280, 900),
		chromedp.Env("TZ=UTC"))
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 30*time.Second)
	defer cancel()

	var mu sync.Mutex
	var problems []string
	require.NoError(t, chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				problems = append(problems, fmt.Sprintf("console.%s %v", e.Type, e.Args))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, fmt.Sprintf("exception: %s %v", e.ExceptionDetails.Text, e.ExceptionDetails.Exception))
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	}))

	page := srv.URL + "/dashboard?day=" + day.Format(time.DateOnly) + "&lang=ru"
	defer func() {
		if t.Failed() {
			mu.Lock()
			t.Logf("browser messages: %v", problems)
			mu.Unlock()
		}
	}()
	require.NoError(t, chromedp.Do(bctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible("#token"),
		chromedp.SendKeys("#token", token),
		chromedp.Click(`#login button[type="submit"]`),
		chromedp.WaitReady(`body[data-state="ready"], body[data-state="error"]`),
	))
	state, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body.dataset.state + ": " + document.getElementById("error").textContent`))
	require.NoError(t, err)
	require.Equal(t, "ready: ", state, "%v", problems)
	raw, err := chromedp.Run(bctx, chromedp.Evaluate[string](readPage))
	require.NoError(t, err)
	var ps pageState
	require.NoError(t, json.Unmarshal([]byte(raw), &ps), raw)
	assert.Equal(t, "ru", ps.Lang)
	assert.Equal(t, "Панель руководителя", ps.Title)
	assert.Equal(t, token, ps.Token, "the token is kept in the session")
	assert.Equal(t, "Токен API", ps.TokenLabel)

	api := func(path string, out any) { getJSON(t, srv.URL, token, path, out) }
	row := func(rows []pageRow, key string) map[string]string {
		for _, r := range rows {
			if r.Key == key {
				return r.Fields
			}
		}
		t.Errorf("no row %q in %v", key, rows)
		return nil
	}

	// Plan progress: each plan of the month, its completion in the chart and every figure in the table.
	var planList struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	api("/api/v1/sales-plans?from=2026-11-01&to=2026-12-01", &planList)
	require.Len(t, planList.Items, 2, "the demo's month and quarter plans")
	require.Len(t, ps.Tables["plans"], 2)
	for i, p := range planList.Items {
		var pr struct {
			TargetRevenue     string      `json:"target_revenue"`
			WonRevenue        string      `json:"won_revenue"`
			WonUnits          int         `json:"won_units"`
			TargetUnits       int         `json:"target_units"`
			CompletionPercent json.Number `json:"completion_percent"`
			ForecastRevenue   string      `json:"forecast_revenue"`
		}
		api("/api/v1/sales-plans/"+p.ID+"/progress", &pr)
		got := row(ps.Tables["plans"], p.ID)
		assert.Equal(t, pr.TargetRevenue, got["target"])
		assert.Equal(t, pr.WonRevenue, got["won"])
		assert.Equal(t, fmt.Sprintf("%d/%d", pr.WonUnits, pr.TargetUnits), got["units"])
		want, _ := pr.CompletionPercent.Float64()
		assert.Equal(t, fmt.Sprint(want), got["completion"])
		assert.Equal(t, pr.ForecastRevenue, got["forecast"])
		assert.InDelta(t, want, ps.Charts["chart-plans"].Datasets[0][i], 1e-9, "the chart's bar")
		assert.Positive(t, want, "the demo plans have figures")
	}

	// The funnel: every open stage, its count in the chart and count and amount in the table.
	var funnel struct {
		Items []struct {
			StageID string `json:"stage_id"`
			Name    string `json:"name"`
			Count   int    `json:"count"`
			Amount  string `json:"amount"`
		} `json:"items"`
	}
	api("/api/v1/analytics/funnel", &funnel)
	require.Len(t, ps.Charts["chart-funnel"].Datasets[0], len(funnel.Items))
	total := 0
	for i, it := range funnel.Items {
		got := row(ps.Tables["funnel"], it.StageID)
		assert.Equal(t, fmt.Sprint(it.Count), got["count"], it.Name)
		assert.Equal(t, it.Amount, got["amount"], it.Name)
		assert.Equal(t, float64(it.Count), ps.Charts["chart-funnel"].Datasets[0][i], it.Name)
		assert.Equal(t, it.Name, ps.Charts["chart-funnel"].Labels[i])
		total += it.Count
	}
	assert.Positive(t, total, "the demo has open sales")

	// Conversion by source and by manager: leads, sales and won in the chart's three series and the table.
	for _, by := range []string{"source", "manager"} {
		var conv struct {
			Items []struct {
				Key, Label        string
				Leads, Sales, Won int
				LeadToWonPercent  json.Number `json:"lead_to_won_percent"`
			} `json:"items"`
		}
		api("/api/v1/analytics/conversion?by="+by+"&from=2026-11-01&to=2026-12-01", &conv)
		require.NotEmpty(t, conv.Items, by)
		ch := ps.Charts["chart-"+by]
		require.Len(t, ch.Labels, len(conv.Items), by)
		for i, it := range conv.Items {
			got := row(ps.Tables["conversion-"+by], it.Key)
			assert.Equal(t, []string{fmt.Sprint(it.Leads), fmt.Sprint(it.Sales), fmt.Sprint(it.Won)},
				[]string{got["leads"], got["sales"], got["won"]}, "%s %s", by, it.Key)
			pct, _ := it.LeadToWonPercent.Float64()
			assert.Equal(t, fmt.Sprint(pct), got["percent"])
			want := it.Label
			if by == "source" {
				want = sourceNamesRu[it.Key]
				require.NotEmpty(t, want, "a Russian name for source %q", it.Key)
			}
			assert.Equal(t, want, ch.Labels[i], "names, not codes")
			assert.Equal(t, []float64{float64(it.Leads), float64(it.Sales), float64(it.Won)},
				[]float64{ch.Datasets[0][i], ch.Datasets[1][i], ch.Datasets[2][i]}, "%s %s", by, it.Key)
		}
	}

	// The month's results: the summary's figures, the test-drive → sale conversion not zero (the demo's leads
	// converted after a drive took it the day before).
	var sum map[string]any
	api("/api/v1/analytics/summary?from=2026-11-01&to=2026-12-01", &sum)
	for _, k := range []string{"won_units", "won_revenue", "test_drive_leads", "test_drive_sales", "test_drive_won", "test_drive_to_sale_percent"} {
		assert.Equal(t, fmt.Sprint(sum[k]), row(ps.Tables["summary"], k)["value"], k)
	}
	assert.Positive(t, sum["test_drive_sales"], "test drives led to sales")
	assert.Positive(t, sum["test_drive_to_sale_percent"])

	// Lead response time by manager: each row and the chart's two series (average, median) as the API answers.
	var resp struct {
		Items []struct {
			Key, Label                string
			Leads, Responded          int
			WithinTargetPercent       json.Number `json:"within_target_percent"`
			AvgMinutes, MedianMinutes json.Number
		} `json:"items"`
	}
	api("/api/v1/analytics/lead-response?by=manager&from=2026-11-01&to=2026-12-01", &resp)
	require.NotEmpty(t, resp.Items)
	for i, it := range resp.Items {
		got := row(ps.Tables["lead-response"], it.Key)
		avg, _ := it.AvgMinutes.Float64()
		med, _ := it.MedianMinutes.Float64()
		assert.Equal(t, []string{fmt.Sprint(it.Leads), fmt.Sprint(it.Responded), fmt.Sprint(avg), fmt.Sprint(med)},
			[]string{got["leads"], got["responded"], got["avg"], got["median"]}, it.Key)
		assert.Equal(t, []float64{avg, med}, []float64{ps.Charts["chart-response"].Datasets[0][i], ps.Charts["chart-response"].Datasets[1][i]})
		assert.Equal(t, it.Label, ps.Charts["chart-response"].Labels[i])
	}

	// Codes read as names: today's drives show their status in Russian.
	for _, r := range ps.Tables["test-drives"] {
		assert.Equal(t, "booked", r.Fields["status"])
	}

	// Reserved cars, today's test drives and service appointments: the same records as the API lists.
	ids := func(path string) []string {
		var list struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		api(path, &list)
		out := []string{}
		for _, it := range list.Items {
			out = append(out, it.ID)
		}
		sort.Strings(out)
		return out
	}
	keys := func(report string) []string {
		out := []string{}
		for _, r := range ps.Tables[report] {
			out = append(out, r.Key)
		}
		sort.Strings(out)
		return out
	}
	from, to := day.Format(time.RFC3339), day.AddDate(0, 0, 1).Format(time.RFC3339)
	reserved := ids("/api/v1/vehicles?status=reserved&limit=100")
	assert.NotEmpty(t, reserved)
	assert.Equal(t, reserved, keys("reserved"))
	drives := ids("/api/v1/test-drives?from=" + from + "&to=" + to + "&limit=100")
	assert.NotEmpty(t, drives)
	assert.Equal(t, drives, keys("test-drives"))
	service := ids("/api/v1/service-appointments?from=" + from + "&to=" + to + "&limit=100")
	assert.NotEmpty(t, service)
	assert.Equal(t, service, keys("service"))

	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "dashboard.png")
	require.NoError(t, os.WriteFile(path, shot, 0o644))
	t.Logf("screenshot: %s (%d bytes)", path, len(shot))
	if out := os.Getenv("DASHBOARD_SCREENSHOT"); out != "" {
		require.NoError(t, os.WriteFile(out, shot, 0o644))
	}

	// English, by keyboard: focus the English button and press Enter; the figures stay.
	require.NoError(t, chromedp.Do(bctx,
		chromedp.Focus(`[data-lang="en"]`),
		chromedp.KeyEvent("\r"),
		chromedp.WaitReady(`html[lang="en"]`),
	))
	raw, err = chromedp.Run(bctx, chromedp.Evaluate[string](readPage))
	require.NoError(t, err)
	var en pageState
	require.NoError(t, json.Unmarshal([]byte(raw), &en))
	assert.Equal(t, "Manager's dashboard", en.Title)
	for i, r := range ps.Tables["funnel"] {
		assert.Equal(t, r.Key, en.Tables["funnel"][i].Key)
		assert.Equal(t, r.Fields["count"], en.Tables["funnel"][i].Fields["count"], "the same figures")
		assert.Equal(t, r.Fields["amount"], en.Tables["funnel"][i].Fields["amount"])
	}
	assert.Equal(t, "Proposal", en.Tables["funnel"][4].Fields["label"], "stage names in English")
	assert.Equal(t, "Chart: open sales by stage", en.Charts["chart-funnel"].Label)

	// A reload finds the token in the session: no login form.
	require.NoError(t, chromedp.Do(bctx, chromedp.Reload(), chromedp.WaitReady(`body[data-state="ready"]`)))

	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, problems, "no console errors or warnings")
}

// TestDashboardIsServedOffline: the page, its script, styles and Chart.js come from the server itself (no CDN),
// with a content security policy allowing nothing else; the API is still served beside it.
func TestDashboardIsServedOffline(t *testing.T) {
	h := withDashboard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	for path, ctype := range map[string]string{"/dashboard": "text/html; charset=utf-8", "/dashboard/dashboard.js": "text/javascript; charset=utf-8",
		"/dashboard/dashboard.css": "text/css; charset=utf-8", "/dashboard/vendor/chart.umd.min.js": "text/javascript; charset=utf-8",
		"/dashboard/vendor/chart.js-LICENSE.md": ""} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		assert.Equal(t, 200, rec.Code, path)
		if ctype != "" {
			assert.Equal(t, ctype, rec.Header().Get("Content-Type"), path)
		}
		assert.Contains(t, rec.Header().Get("Content-Security-Policy"), "script-src 'self'", path)
		assert.NotContains(t, rec.Body.String(), "cdn.", path)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/me", nil))
	assert.Equal(t, http.StatusTeapot, rec.Code, "the API is served beside it")
}

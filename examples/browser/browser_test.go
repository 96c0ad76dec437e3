package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium returns the path of the Chromium binary: $CHROMIUM, else chromium or chromium-browser on the PATH.
// Without one the test is skipped, except with CI=true, where it fails (.ci/run installs Debian's chromium).
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

// TestPageBooksAcrossOrigins serves the page from one origin and the API from another, and drives the page with
// headless Chromium: log in with a token, list the cars, book the first free slot, and see the 409 of a second
// booking of that slot. Every API call of the page is a real cross-origin request with a preflight.
func TestPageBooksAcrossOrigins(t *testing.T) {
	exe := chromium(t)
	ctx := context.Background()

	page := httptest.NewServer(pageHandler())
	defer page.Close()

	// The API: one dealer, a sales manager's token and a car, on a clock inside working hours.
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)) // 12:00 in Moscow
	st := stack.New(memory.New(), clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр Север", LegalName: "ООО «Север»", Currency: "RUB"})
	require.NoError(t, err)
	dctx := crm.WithDealer(ctx, d.ID)
	u, err := st.AddUser(dctx, crm.User{Name: "Мария Менеджер", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	token, err := st.IssueAPIKey(dctx, u, "browser test")
	require.NoError(t, err)
	_, err = st.Catalog.CreateVehicle(crm.WithActor(dctx, u.ID), catalog.Vehicle{VIN: "XTAGFL110TY000001", Make: "Lada",
		Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	cfg := st.HTTPConfig()
	cfg.CORS = httpapi.CORS{AllowedOrigins: []string{page.URL}}
	h, err := httpapi.New(cfg)
	require.NoError(t, err)
	api := httptest.NewServer(h)
	defer api.Close()
	require.NotEqual(t, page.URL, api.URL, "the page and the API are on different origins")

	actx, cancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 60*time.Second)
	defer cancel()

	require.NoError(t, chromedp.Do(bctx,
		chromedp.Navigate(page.URL+"/?api="+url.QueryEscape(api.URL)),
		chromedp.WaitVisible("#token"),
		chromedp.SendKeys("#token", token),
		chromedp.Click("#login-button"),
		chromedp.WaitVisible("#cars li"),
	))
	me, err := chromedp.Run(bctx, chromedp.Text("#me"))
	require.NoError(t, err)
	assert.Equal(t, "Мария Менеджер (sales_manager) — Автоцентр Север", me)
	cars, err := chromedp.Run(bctx, chromedp.Text("#cars"))
	require.NoError(t, err)
	assert.Contains(t, cars, "Lada Vesta")
	counted, err := chromedp.Run(bctx, chromedp.Text("#cars-count"))
	require.NoError(t, err)
	assert.Equal(t, "1–1 of 1", counted, "the list's count=true total")

	require.NoError(t, chromedp.Do(bctx,
		chromedp.Click("#cars li button.book"),
		chromedp.WaitVisible("#conflict"),
	))
	booked, err := chromedp.Run(bctx, chromedp.Text("#booked"))
	require.NoError(t, err)
	assert.Equal(t, "Booked Lada Vesta 2026 2026-11-27T09:00:00.000000Z – 2026-11-27T09:30:00.000000Z", booked,
		"the first free slot starts now")
	etag, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("booked").dataset.etag`))
	require.NoError(t, err)
	assert.Equal(t, `"1"`, etag, "the page reads the exposed ETag header")
	location, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("booked").dataset.location`))
	require.NoError(t, err)
	assert.Regexp(t, `^/api/v1/test-drives/[0-9a-f-]{36}$`, location, "and the exposed Location header")

	status, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("conflict").dataset.status`))
	require.NoError(t, err)
	assert.Equal(t, "409", status)
	shown, err := chromedp.Run(bctx, chromedp.Text("#conflict"))
	require.NoError(t, err)
	raw, err := chromedp.Run(bctx, chromedp.TextContent("#conflict-json"))
	require.NoError(t, err)
	var problem struct {
		Code   string `json:"code"`
		Title  string `json:"title"`
		Status int    `json:"status"`
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &problem), raw)
	assert.Equal(t, 409, problem.Status)
	if problem.Code != "" {
		assert.Equal(t, problem.Code, shown, "the page shows the problem's code")
	} else {
		assert.Equal(t, problem.Title+" (409)", shown, "without a code the page shows the title and status")
	}
	errText, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("error").hidden ? "" : document.getElementById("error").textContent`))
	require.NoError(t, err)
	assert.Empty(t, errText)
}

// TestPageRefusedFromAnOriginTheAPIDoesNotAllow: the same page against an API that does not allow its origin
// cannot read any answer.
func TestPageRefusedFromAnOriginTheAPIDoesNotAllow(t *testing.T) {
	exe := chromium(t)
	page := httptest.NewServer(pageHandler())
	defer page.Close()
	st := stack.New(memory.New(), crm.SystemClock{})
	h, err := httpapi.New(st.HTTPConfig()) // no CORS origins: the default
	require.NoError(t, err)
	api := httptest.NewServer(h)
	defer api.Close()

	actx, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	require.NoError(t, chromedp.Do(bctx,
		chromedp.Navigate(page.URL+"/?api="+url.QueryEscape(api.URL)),
		chromedp.SendKeys("#token", "dcrm_whatever"),
		chromedp.Click("#login-button"),
		chromedp.WaitVisible("#error"),
	))
	msg, err := chromedp.Run(bctx, chromedp.Text("#error"))
	require.NoError(t, err)
	assert.Contains(t, msg, "cannot be reached from this page")
}

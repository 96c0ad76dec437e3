package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"

	"github.com/dealercrm/dealercrm/examples/scenarios/runner"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShippedScenarios runs every scenario shipped in examples/scenarios/scenarios, each as a subtest.
func TestShippedScenarios(t *testing.T) {
	sub, err := fs.Sub(shipped, "scenarios")
	require.NoError(t, err)
	scs, err := runner.LoadDir(sub, ".")
	require.NoError(t, err)
	require.NotEmpty(t, scs)
	for _, sc := range scs {
		t.Run(sc.File(), func(t *testing.T) {
			var out bytes.Buffer
			res := (&runner.Runner{New: runner.NewMemoryEnv, Out: &out}).Run(context.Background(), sc)
			if !res.OK() {
				t.Errorf("scenario %q failed:\n%s", sc.Name, out.String())
			}
		})
	}
}

func TestRunWithoutArgumentsRunsTheShippedScenarios(t *testing.T) {
	var out bytes.Buffer
	code := run(context.Background(), nil, testOptions(), &out, io.Discard)
	assert.Equal(t, 0, code, out.String())
	assert.Contains(t, out.String(), "0 failed")
	assert.NotContains(t, out.String(), "FAIL")
}

func TestAFailingScenarioFailsTheRun(t *testing.T) {
	var out bytes.Buffer
	code := run(context.Background(), []string{"testdata/failing.json"}, testOptions(), &out, io.Discard)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), `FAIL   1 add a vehicle: json status: got "in_stock", want "sold"`)
	assert.Contains(t, out.String(), "SKIP   2 never runs")
	assert.Contains(t, out.String(), "1 scenarios: 0 passed, 1 failed")
}

func TestMixedRunFailsAndReportsEveryScenario(t *testing.T) {
	var out bytes.Buffer
	code := run(context.Background(), []string{"scenarios/01_test_drive_reserves_the_car.json", "testdata"}, verbose(), &out, io.Discard)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), "--- PASS Test drive reserves the car")
	assert.Contains(t, out.String(), "--- FAIL Deliberately failing")
	assert.Contains(t, out.String(), "      > POST /api/v1/vehicles", "verbose mode shows the requests")
}

func TestUnreadableScenarioIsExitCode2(t *testing.T) {
	var errOut bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"testdata/none.json"}, testOptions(), io.Discard, &errOut))
	assert.True(t, strings.HasPrefix(errOut.String(), "scenarios: "))
}

func testOptions() options {
	return options{parallel: 1, getenv: func(string) string { return "" }}
}

func verbose() options {
	o := testOptions()
	o.verbose = true
	return o
}

// starts lists the scenarios a report ran, in the order it printed them.
func starts(out string) []string {
	var names []string
	for _, line := range strings.Split(out, "\n") {
		if name, ok := strings.CutPrefix(line, "=== "); ok {
			names = append(names, name)
		}
	}
	return names
}

func TestFlags(t *testing.T) {
	o, args, err := parseFlags([]string{"-run", "Test drive", "-junit", "r.xml", "-parallel", "3", "-postgres", "postgres://x", "a.json"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, []string{"a.json"}, args)
	assert.Equal(t, "Test drive", o.run.String())
	assert.Equal(t, "r.xml", o.junit)
	assert.Equal(t, 3, o.parallel)
	assert.Equal(t, "postgres://x", o.postgres)
	for _, bad := range [][]string{{"-run", "("}, {"-parallel", "0"}, {"-postgres", "postgres://x", "-base", "http://y"}} {
		_, _, err := parseFlags(bad, io.Discard)
		assert.Error(t, err, bad)
	}
}

func TestRunPicksScenariosByNameOrFile(t *testing.T) {
	o := testOptions()
	o.run = regexp.MustCompile(`(?i)overlapping|09_stale`)
	var out bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), nil, o, &out, io.Discard), out.String())
	assert.Equal(t, []string{"Overlapping test drive refused (02_overlapping_test_drive_refused.json)",
		"A stale If-Match is refused with 412 (09_stale_if_match_412.json)"}, starts(out.String()))
	assert.Contains(t, out.String(), "2 scenarios: 2 passed, 0 failed")

	o.run = regexp.MustCompile(`nothing like this`)
	var errOut bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), nil, o, io.Discard, &errOut))
	assert.Contains(t, errOut.String(), "matches no scenario")
}

func TestParallelRunReportsInOrder(t *testing.T) {
	var one, many bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), nil, testOptions(), &one, io.Discard))
	o := testOptions()
	o.parallel = 6
	assert.Equal(t, 0, run(context.Background(), nil, o, &many, io.Discard), many.String())
	assert.Equal(t, starts(one.String()), starts(many.String()), "the same scenarios, reported in the same order")
	assert.Len(t, starts(many.String()), shippedCount(t))
	// each scenario's report is whole: its lines are not interleaved with another's
	for _, block := range strings.Split(many.String(), "=== ")[1:] {
		assert.Equal(t, 1, strings.Count(block, "--- "), block)
	}
}

func TestJUnitReport(t *testing.T) {
	o := testOptions()
	o.junit = t.TempDir() + "/report.xml"
	var out bytes.Buffer
	code := run(context.Background(), []string{"scenarios/01_test_drive_reserves_the_car.json", "testdata/failing.json"}, o, &out, io.Discard)
	assert.Equal(t, 1, code)
	raw, err := os.ReadFile(o.junit)
	require.NoError(t, err)
	var rep struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(raw, &rep), string(raw))
	assert.Equal(t, 2, rep.Tests)
	assert.Equal(t, 1, rep.Failures)
	require.Len(t, rep.Suites, 1)
	assert.Equal(t, "scenarios (memory)", rep.Suites[0].Name)
	cases := rep.Suites[0].Cases
	require.Len(t, cases, 2)
	assert.Equal(t, "Test drive reserves the car", cases[0].Name)
	assert.Nil(t, cases[0].Failure)
	assert.Equal(t, "Deliberately failing", cases[1].Name)
	require.NotNil(t, cases[1].Failure)
	assert.Contains(t, cases[1].Failure.Message, `json status: got "in_stock", want "sold"`)
	assert.Contains(t, cases[1].Classname, "failing.json")
}

func TestScenariosOnPostgres(t *testing.T) {
	admin := pgtest.Admin(t) // skips without a server, fails with CI=true
	defer admin.Close()
	o := testOptions()
	o.postgres, o.parallel = pgtest.URL(), 4
	var out bytes.Buffer
	code := run(context.Background(), []string{"scenarios", "testdata/remote/who_am_i.json"}, o, &out, io.Discard)
	assert.Equal(t, 0, code, out.String())
	n := shippedCount(t) + 1
	assert.Contains(t, out.String(), fmt.Sprintf("%d scenarios: %d passed, 0 failed", n, n))
	var left int
	require.NoError(t, admin.Get(&left, `SELECT count(*) FROM pg_database WHERE starts_with(datname, $1)`, runner.RunDatabasePrefix()))
	assert.Zero(t, left, "every scenario's database is dropped")
}

func TestScenariosAgainstARunningServer(t *testing.T) {
	ctx := context.Background()
	st := stack.New(memory.New(), crm.SystemClock{})
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»"})
	require.NoError(t, err)
	u, err := st.AddUser(crm.WithDealer(ctx, d.ID), crm.User{Name: "Мария", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	token, err := st.IssueAPIKey(ctx, u, "scenarios")
	require.NoError(t, err)
	h, err := httpapi.New(st.HTTPConfig())
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()

	o := testOptions()
	o.base, o.parallel = srv.URL, 8
	o.getenv = func(k string) string { return map[string]string{"DEALERCRM_TOKEN_MARIA": token}[k] }
	o.junit = t.TempDir() + "/r.xml"
	var out bytes.Buffer
	code := run(ctx, []string{"testdata/remote"}, o, &out, io.Discard)
	assert.Equal(t, 0, code, out.String())
	assert.Contains(t, out.String(), "--- PASS Who am I on a running server (3 steps)")
	assert.Contains(t, out.String(), "SKIP  step 2 moves the clock (a day later), which a running server's cannot: run this scenario in memory or with -postgres")
	assert.Contains(t, out.String(), "2 scenarios: 1 passed, 0 failed, 1 skipped")
	raw, err := os.ReadFile(o.junit)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `skipped="1"`)

	// a user without a token fails clearly, naming the variable
	o.getenv = func(string) string { return "" }
	out.Reset()
	assert.Equal(t, 1, run(ctx, []string{"testdata/remote/who_am_i.json"}, o, &out, io.Discard))
	assert.Contains(t, out.String(), `user "maria": set DEALERCRM_TOKEN_MARIA to the token of a sales_manager user of the server`)

	// a token of another role is refused before any step
	boss, err := st.AddUser(crm.WithDealer(ctx, d.ID), crm.User{Name: "Админ", Role: crm.RoleAdmin})
	require.NoError(t, err)
	bossToken, err := st.IssueAPIKey(ctx, boss, "scenarios")
	require.NoError(t, err)
	o.getenv = func(string) string { return bossToken }
	out.Reset()
	assert.Equal(t, 1, run(ctx, []string{"testdata/remote/who_am_i.json"}, o, &out, io.Discard))
	assert.Contains(t, out.String(), `user "maria" (DEALERCRM_TOKEN_MARIA): the token's user is admin, the scenario wants sales_manager`)

	_, err = runner.NewRemoteFactory("ftp://nowhere", nil)
	assert.Error(t, err)
}

// TestMain runs the tests and says once how many PostgreSQL tests were skipped, if any (pgtest.Main).
func TestMain(m *testing.M) { pgtest.Main(m) }

// shippedCount is how many scenarios are shipped.
func shippedCount(t *testing.T) int {
	sub, err := fs.Sub(shipped, "scenarios")
	require.NoError(t, err)
	scs, err := runner.LoadDir(sub, ".")
	require.NoError(t, err)
	return len(scs)
}

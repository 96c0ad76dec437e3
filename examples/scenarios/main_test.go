package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"strings"
	"testing"

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
	code := run(context.Background(), nil, false, &out, io.Discard)
	assert.Equal(t, 0, code, out.String())
	assert.Contains(t, out.String(), "0 failed")
	assert.NotContains(t, out.String(), "FAIL")
}

func TestAFailingScenarioFailsTheRun(t *testing.T) {
	var out bytes.Buffer
	code := run(context.Background(), []string{"testdata/failing.json"}, false, &out, io.Discard)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), `FAIL   1 add a vehicle: json status: got "in_stock", want "sold"`)
	assert.Contains(t, out.String(), "SKIP   2 never runs")
	assert.Contains(t, out.String(), "1 scenarios: 0 passed, 1 failed")
}

func TestMixedRunFailsAndReportsEveryScenario(t *testing.T) {
	var out bytes.Buffer
	code := run(context.Background(), []string{"scenarios/01_test_drive_reserves_the_car.json", "testdata"}, true, &out, io.Discard)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), "--- PASS Test drive reserves the car")
	assert.Contains(t, out.String(), "--- FAIL Deliberately failing")
	assert.Contains(t, out.String(), "      > POST /api/v1/vehicles", "verbose mode shows the requests")
}

func TestUnreadableScenarioIsExitCode2(t *testing.T) {
	var errOut bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"testdata/none.json"}, false, io.Discard, &errOut))
	assert.True(t, strings.HasPrefix(errOut.String(), "scenarios: "))
}

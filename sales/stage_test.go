package sales_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var epoch = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// pipeline returns the default stages as stored records of one dealer.
func pipeline(t *testing.T) sales.Pipeline {
	t.Helper()
	dealer := crm.NewID()
	var out []sales.Stage
	for _, d := range sales.DefaultStages() {
		st, err := sales.NewStage(dealer, d, epoch)
		require.NoError(t, err)
		out = append(out, st)
	}
	return sales.NewPipeline(out)
}

func stage(t *testing.T, p sales.Pipeline, code string) sales.Stage {
	t.Helper()
	st, ok := p.ByCode(code)
	require.True(t, ok, code)
	return st
}

func fields(err error) []string {
	var out []string
	for _, f := range crm.FieldsOf(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestDefaultStages(t *testing.T) {
	p := pipeline(t)
	require.NoError(t, p.Validate())
	want := []struct {
		code string
		prob int
		kind sales.StageKind
	}{
		{"new", 10, sales.StageOpen}, {"needs_discovery", 20, sales.StageOpen}, {"vehicle_selection", 30, sales.StageOpen},
		{"test_drive", 40, sales.StageOpen}, {"proposal", 60, sales.StageOpen}, {"negotiation", 75, sales.StageOpen},
		{"contract", 90, sales.StageOpen}, {"won", 100, sales.StageWon}, {"lost", 0, sales.StageLost},
	}
	require.Len(t, p, len(want))
	for i, w := range want {
		assert.Equal(t, w.code, p[i].Code)
		assert.Equal(t, w.prob, p[i].MaxProbability, w.code)
		assert.Equal(t, w.kind, p[i].Kind, w.code)
		assert.Regexp(t, `^\p{Cyrillic}`, p[i].Name, "the seeded stages are named in Russian")
		assert.NotEmpty(t, p[i].NameEn, w.code)
		assert.Equal(t, i+1, p[i].Order, w.code)
	}
	first, _ := p.First()
	won, _ := p.Won()
	lost, _ := p.Lost()
	assert.Equal(t, []string{"new", "won", "lost"}, []string{first.Code, won.Code, lost.Code})
}

func TestNewStageValidates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stage sales.Stage
		field string
	}{
		{"code with capitals", sales.Stage{Code: "Proposal", Name: "P", Order: 1, MaxProbability: 10, Kind: sales.StageOpen}, "code"},
		{"code empty", sales.Stage{Name: "P", Order: 1, Kind: sales.StageOpen}, "code"},
		{"name blank", sales.Stage{Code: "p", Name: " ", Order: 1, Kind: sales.StageOpen}, "name"},
		{"order zero", sales.Stage{Code: "p", Name: "P", Order: 0, Kind: sales.StageOpen}, "order"},
		{"probability over 100", sales.Stage{Code: "p", Name: "P", Order: 1, MaxProbability: 101, Kind: sales.StageOpen}, "max_probability"},
		{"probability negative", sales.Stage{Code: "p", Name: "P", Order: 1, MaxProbability: -1, Kind: sales.StageOpen}, "max_probability"},
		{"won below 100", sales.Stage{Code: "w", Name: "W", Order: 1, MaxProbability: 90, Kind: sales.StageWon}, "max_probability"},
		{"lost above 0", sales.Stage{Code: "l", Name: "L", Order: 1, MaxProbability: 5, Kind: sales.StageLost}, "max_probability"},
		{"unknown kind", sales.Stage{Code: "p", Name: "P", Order: 1, Kind: "maybe"}, "kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sales.NewStage(crm.NewID(), tc.stage, epoch)
			require.Error(t, err)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			assert.Contains(t, fields(err), tc.field)
		})
	}
	st, err := sales.NewStage(crm.NewID(), sales.Stage{Code: " delivery ", Name: "Выдача", Order: 12, MaxProbability: 95, Kind: sales.StageOpen}, epoch)
	require.NoError(t, err)
	assert.Equal(t, "delivery", st.Code)
	assert.Equal(t, "Выдача", st.Name)
}

func TestPipelineValidate(t *testing.T) {
	base := pipeline(t)
	extra := func(st sales.Stage) sales.Pipeline {
		s, err := sales.NewStage(base[0].DealerID, st, epoch)
		require.NoError(t, err)
		return base.With(s)
	}
	for _, tc := range []struct {
		name  string
		p     sales.Pipeline
		kind  error
		field string
	}{
		{"duplicate code", extra(sales.Stage{Code: "proposal", Name: "X", Order: 20, MaxProbability: 95, Kind: sales.StageOpen}), crm.ErrConflict, "code"},
		{"duplicate order", extra(sales.Stage{Code: "delivery", Name: "X", Order: 7, MaxProbability: 95, Kind: sales.StageOpen}), crm.ErrConflict, "order"},
		{"second won stage", extra(sales.Stage{Code: "won_again", Name: "X", Order: 20, MaxProbability: 100, Kind: sales.StageWon}), crm.ErrConflict, "kind"},
		{"second lost stage", extra(sales.Stage{Code: "lost_again", Name: "X", Order: 20, Kind: sales.StageLost}), crm.ErrConflict, "kind"},
		{"open probability decreases", extra(sales.Stage{Code: "late", Name: "X", Order: 20, MaxProbability: 50, Kind: sales.StageOpen}), crm.ErrInvalid, "max_probability"},
		{"open stage after the closed ones", extra(sales.Stage{Code: "late_open", Name: "X", Order: 10, MaxProbability: 95, Kind: sales.StageOpen}), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if tc.kind == nil {
				assert.NoError(t, err, "closed stages do not count for the probability order")
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.kind), "%v", err)
			assert.Contains(t, fields(err), tc.field)
		})
	}
	// Replacing a stage by ID re-validates it in its new place.
	moved := stage(t, base, "contract")
	moved.MaxProbability = 50
	assert.True(t, errors.Is(base.With(moved).Validate(), crm.ErrInvalid))
}

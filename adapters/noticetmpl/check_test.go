package noticetmpl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/adapters/noticetmpl"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// TestShippedDefaultsPassTheCheck holds every kind's default in every language to the facts its kind carries.
func TestShippedDefaultsPassTheCheck(t *testing.T) {
	for _, k := range notify.Kinds() {
		for _, l := range notify.Languages() {
			d, ok := notify.Default(k, l)
			require.True(t, ok, "%s/%s", k, l)
			assert.NoError(t, noticetmpl.Renderer{}.Check(d, notify.KindFacts(k)), "%s/%s", k, l)
		}
	}
}

// TestCheckNamesUnknownVariables refuses a reference to a fact the kind lacks, wherever it stands (in a branch
// never taken with the sample facts too), naming the part and the variable.
func TestCheckNamesUnknownVariables(t *testing.T) {
	facts := notify.KindFacts(notify.KindTestDriveBooked)
	for _, c := range []struct {
		name     string
		tpl      notify.Template
		field    string
		variable string
	}{
		{"field of an unknown fact", notify.Template{Subject: "ok", Text: "Hello {{.Custmer.Name}}"}, "text", "{{.Custmer.Name}}"},
		{"unknown fact", notify.Template{Subject: "{{.vehicel}}", Text: "ok"}, "subject", "{{.vehicel}}"},
		{"in a branch", notify.Template{Subject: "ok", Text: "ok", HTML: "{{if .name}}<p>{{.Custmer}}</p>{{end}}"}, "html", "{{.Custmer}}"},
		{"through $", notify.Template{Subject: "ok", Text: "{{with .dealer}}{{$.adress}}{{end}}"}, "text", "{{$.adress}}"},
		{"a field of a fact", notify.Template{Subject: "ok", Text: "{{with .name}}{{.First}}{{end}}"}, "text", "{{.First}}"},
		{"a field of a known fact", notify.Template{Subject: "{{.name.First}}", Text: "ok"}, "subject", "{{.name.First}}"},
		{"in a block", notify.Template{Subject: "ok", Text: "{{block \"y\" .}}{{.Zzz}}{{end}}"}, "text", "{{.Zzz}}"},
		{"in a define", notify.Template{Subject: "ok", Text: "{{define \"x\"}}{{.Custmer}}{{end}}ok"}, "text", "{{.Custmer}}"},
		{"through index", notify.Template{Subject: "ok", Text: "{{index . \"Custmer\"}}"}, "text", "{{index . \"Custmer\"}}"},
		{"through index of $", notify.Template{Subject: "ok", Text: "{{with .name}}{{index $ \"Custmer\"}}{{end}}"}, "text", "{{index $ \"Custmer\"}}"},
		{"index beyond a fact", notify.Template{Subject: "ok", Text: "{{index . \"name\" 1}}"}, "text", "{{index . \"name\" 1}}"},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.tpl.Kind = notify.KindTestDriveBooked
			err := noticetmpl.Renderer{}.Check(c.tpl, facts)
			require.ErrorIs(t, err, crm.ErrInvalid)
			fs := crm.FieldsOf(err)
			require.Len(t, fs, 1)
			assert.Equal(t, c.field, fs[0].Field)
			assert.Contains(t, fs[0].Message, c.variable)
		})
	}
	ok := notify.Template{Kind: notify.KindTestDriveBooked, Subject: "{{.vehicle}} {{.date}}",
		Text: "{{with .name}}{{.}}{{end}}{{$v := .time}}{{$v}} {{$.address}} {{printf \"%s\" .dealer}} {{index . \"vehicle\"}}"}
	assert.NoError(t, noticetmpl.Renderer{}.Check(ok, facts))
}

package noticetmpl_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/adapters/noticetmpl"
	"github.com/dealercrm/dealercrm/notify"
)

// renderers are the two ways a Renderer runs: the zero value parses at every Render, NewRenderer's keeps what it
// parsed.
func renderers() map[string]noticetmpl.Renderer {
	return map[string]noticetmpl.Renderer{"zero": {}, "kept": noticetmpl.NewRenderer()}
}

// TestKeptTemplatesRenderAsParsedOnes renders every shipped default in every language, three times over three
// sets of facts (hostile ones among them), and a part that does not parse and one that does not execute, with
// the zero Renderer and with NewRenderer's: the same messages and the same errors, the first time and once kept.
func TestKeptTemplatesRenderAsParsedOnes(t *testing.T) {
	facts := []map[string]string{
		{},
		{"customer_name": "Иван Петров", "dealer_name": "Север", "vehicle": "Lada Vesta", "start": "1 декабря 10:00"},
		{"customer_name": `<script>alert("x")</script>`, "dealer_name": "A & B\nC", "vehicle": "{{.x}}"},
	}
	var templates []notify.Template
	for _, k := range notify.Kinds() {
		for _, l := range notify.Languages() {
			d, ok := notify.Default(k, l)
			require.True(t, ok, "%s/%s", k, l)
			templates = append(templates, d)
		}
	}
	templates = append(templates,
		notify.Template{Subject: "{{.customer_name", Text: "x"},
		notify.Template{Subject: "s", Text: "{{index .customer_name 1}}", HTML: "<p>{{.dealer_name}}</p>"},
		notify.Template{Subject: "s", Text: "t", HTML: "<a href='{{.vehicle}}'>{{.customer_name}}</a>"})
	zero, kept := noticetmpl.Renderer{}, noticetmpl.NewRenderer()
	for round := range 3 {
		for i, tpl := range templates {
			for j, data := range facts {
				want, wantErr := zero.Render(tpl, data)
				got, err := kept.Render(tpl, data)
				assert.Equal(t, want, got, "round %d, template %d, facts %d", round, i, j)
				if wantErr == nil {
					assert.NoError(t, err, "round %d, template %d, facts %d", round, i, j)
				} else {
					assert.EqualError(t, err, wantErr.Error(), "round %d, template %d, facts %d", round, i, j)
				}
			}
		}
	}
	got, err := kept.Render(templates[len(templates)-1], facts[2])
	require.NoError(t, err)
	assert.Contains(t, got.HTML, "&lt;script&gt;", "a kept HTML part still escapes the facts")
}

// TestKeptTemplatesAreBounded renders more distinct templates than a Renderer keeps: every one renders its own
// text (a full cache makes room, it never answers with another template).
func TestKeptTemplatesAreBounded(t *testing.T) {
	r := noticetmpl.NewRenderer()
	for i := range noticetmpl.MaxParsedTemplates + 50 {
		got, err := r.Render(notify.Template{Subject: fmt.Sprintf("№%d {{.n}}", i), Text: fmt.Sprintf("text %d", i),
			HTML: fmt.Sprintf("<b>%d</b>", i)}, map[string]string{"n": "x"})
		require.NoError(t, err)
		assert.Equal(t, notify.Rendered{Subject: fmt.Sprintf("№%d x", i), Text: fmt.Sprintf("text %d", i),
			HTML: fmt.Sprintf("<b>%d</b>", i)}, got)
	}
}

// TestKeptTemplatesRenderConcurrently renders one template from many goroutines at once, each with facts of its
// own, through both renderers (run with -race).
func TestKeptTemplatesRenderConcurrently(t *testing.T) {
	tpl, ok := notify.Default(notify.KindTestDriveBooked, notify.Languages()[0])
	require.True(t, ok)
	tpl.HTML = "<p>{{.customer_name}}</p>"
	for name, r := range renderers() {
		var wg sync.WaitGroup
		for g := range 16 {
			wg.Go(func() {
				for i := range 50 {
					who := fmt.Sprintf("<i>%d-%d</i>", g, i)
					got, err := r.Render(tpl, map[string]string{"customer_name": who})
					if assert.NoError(t, err, name) {
						assert.Equal(t, "<p>&lt;i&gt;"+fmt.Sprintf("%d-%d", g, i)+"&lt;/i&gt;</p>", got.HTML, name)
					}
				}
			})
		}
		wg.Wait()
	}
}

// TestKeptTemplatesAreNotParsedAgain: once kept, a booking notice renders with a fraction of the allocations of
// parsing it (the parse is the most of them).
func TestKeptTemplatesAreNotParsedAgain(t *testing.T) {
	tpl, ok := notify.Default(notify.KindTestDriveBooked, notify.Languages()[0])
	require.True(t, ok)
	data := map[string]string{"customer_name": "Иван Петров", "dealer_name": "Север"}
	allocs := map[string]float64{}
	for name, r := range renderers() {
		allocs[name] = testing.AllocsPerRun(100, func() {
			if _, err := r.Render(tpl, data); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Logf("allocations per Render: %v", allocs)
	assert.Less(t, allocs["kept"], allocs["zero"]/2)
}

// BenchmarkRender renders the booking notice with the zero Renderer (parsed at every Render) and NewRenderer's.
func BenchmarkRender(b *testing.B) {
	tpl, ok := notify.Default(notify.KindTestDriveBooked, notify.Languages()[0])
	require.True(b, ok)
	data := map[string]string{"customer_name": "Иван Петров", "dealer_name": "Север"}
	for _, name := range []string{"zero", "kept"} {
		r := renderers()[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render(tpl, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package pdf_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/pdf"
	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
	"github.com/dealercrm/dealercrm/adapters/pdf/layout/layouttest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

func render(t *testing.T, r pdf.Renderer, c sales.Contract) []byte {
	t.Helper()
	b, err := r.Render(context.Background(), c)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !isPDF(b) {
		t.Fatalf("Render returned %d bytes that are not a PDF", len(b))
	}
	return b
}

func TestRenderContractCarriesCyrillicTextAndVIN(t *testing.T) {
	pages := pdfText(t, render(t, pdf.Renderer{}, layouttest.Contract()))
	text := strings.Join(pages, "\n")
	mustContain(t, text,
		"ДОГОВОР КУПЛИ-ПРОДАЖИ АВТОМОБИЛЯ № ДКП-2026/0042",
		"ДОГОВОР КУПЛИ-ПРОДАЖИ",
		layouttest.BuyerName,
		layouttest.VIN,
		"г. Москва", "26 ноября 2026 г.",
		"ООО «Север-Авто»", "ИНН 7701234567", "КПП 770101001", "ОГРН 1027700000001", "БИК 044525225",
		"1. ПРЕДМЕТ ДОГОВОРА", "2. ЦЕНА И ПОРЯДОК РАСЧЁТОВ", "3. ПЕРЕДАЧА АВТОМОБИЛЯ", "4. ГАРАНТИЯ",
		"6. РЕКВИЗИТЫ И ПОДПИСИ СТОРОН",
		"1 250 000,50 руб.", "один миллион двести пятьдесят тысяч рублей 50 копеек",
		"АО «Банк Кредит» на срок 36 месяцев", "Kia Rio",
		"Комплект зимних шин <Nokian> & диски", // user data printed as it is, not read as markup
		"Паспорт: серия 4510 № 123456",
		"/ Петров И. С. /", "/ Иванов П. Н. /",
		fmt.Sprintf("Страница 1 из %d", len(pages)),
	)
}

func TestRenderLongContractBreaksPages(t *testing.T) {
	const lines = 80
	b := render(t, pdf.Renderer{}, layouttest.LongContract(lines))
	if n := len(pageObjects.FindAll(b, -1)); n < 4 { // checked without pdftotext too
		t.Fatalf("a contract of %d lines has %d page objects, want several", lines, n)
	}
	pages := pdfText(t, b)
	if len(pages) < 4 {
		t.Fatalf("a contract of %d lines has %d pages, want several", lines, len(pages))
	}
	for i, p := range pages {
		mustContain(t, p, fmt.Sprintf("Страница %d из %d", i+1, len(pages)))
	}
	text := strings.Join(pages, "\n")
	mustContain(t, text, "Дополнительное оборудование № 1:", fmt.Sprintf("Дополнительное оборудование № %d:", lines),
		layouttest.VIN, "6. РЕКВИЗИТЫ И ПОДПИСИ СТОРОН")
	// The table of lines spans pages and repeats its header on each.
	if n := strings.Count(text, "Наименование"); n < 3 {
		t.Errorf("the lines table header appears %d times, want it repeated on every page it spans", n)
	}
	// Both signature lines are on the last page, with the heading of their section.
	mustContain(t, pages[len(pages)-1], "/ Иванов П. Н. /", "/ Петров И. С. /", "6. РЕКВИЗИТЫ И ПОДПИСИ СТОРОН")
}

// pageObjects matches the page objects of a PDF written by gopdf.
var pageObjects = regexp.MustCompile(`(?m)/Type /Page$`)

func TestRenderIsDeterministic(t *testing.T) {
	c := layouttest.Contract()
	a, b := render(t, pdf.Renderer{}, c), render(t, pdf.Renderer{}, c)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of one contract differ; stored SHA-256 sums would not be reproducible")
	}
}

func TestRenderWithCustomTemplate(t *testing.T) {
	tpl, err := layout.NewTemplate("act", `<doc title="Акт № {{.Number}}">
<h1>АКТ ПРИЁМА-ПЕРЕДАЧИ АВТОМОБИЛЯ</h1>
<p>Покупатель <b>{{.Buyer.FullName}}</b> принял автомобиль VIN {{.Vehicle.VIN}}.</p>
<pagebreak/>
<p>Вторая страница.</p>
</doc>`)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, render(t, pdf.Renderer{Template: tpl}, layouttest.Contract()))
	if len(pages) != 2 {
		t.Fatalf("pages = %d, want 2 (an explicit page break)", len(pages))
	}
	mustContain(t, pages[0], "АКТ ПРИЁМА-ПЕРЕДАЧИ АВТОМОБИЛЯ", "Покупатель "+layouttest.BuyerName+" принял автомобиль VIN "+layouttest.VIN,
		"Акт № ДКП-2026/0042", "Страница 1 из 2")
	mustContain(t, pages[1], "Вторая страница.", "Страница 2 из 2")
}

func TestRenderDocumentSplitsRowsTallerThanAPage(t *testing.T) {
	var long []string
	var cellRuns []layout.Run // one item per line
	for i := range 150 {
		long = append(long, fmt.Sprintf("строка%03d", i))
		cellRuns = append(cellRuns, layout.Run{Text: long[i]}, layout.Run{Break: true})
	}
	cell := func(runs []layout.Run, bold bool) layout.Cell { return layout.Cell{Runs: runs, Bold: bold, Span: 1} }
	text := func(s string) []layout.Run { return []layout.Run{{Text: s}} }
	doc := layout.Document{Title: "Длинная ячейка", Blocks: []layout.Block{
		layout.Paragraph{Runs: text(strings.Repeat("Ж", 400))}, // one word wider than a line
		layout.Table{Widths: []float64{1, 4}, Border: true,
			Header: []layout.Row{{Cells: []layout.Cell{cell(text("№"), true), cell(text("Текст"), true)}}},
			Rows:   []layout.Row{{Cells: []layout.Cell{cell(text("1"), false), cell(cellRuns, false)}}}},
	}}
	b, err := pdf.Renderer{}.RenderDocument(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, b)
	if len(pages) < 3 {
		t.Fatalf("pages = %d, want the 150-line cell split over several", len(pages))
	}
	all := strings.Join(pages, " ")
	for _, s := range long {
		if strings.Count(all, s) != 1 {
			t.Fatalf("%s appears %d times, want once", s, strings.Count(all, s))
		}
	}
	if strings.Count(all, "Текст") != len(pages) {
		t.Errorf("the header appears %d times on %d pages", strings.Count(all, "Текст"), len(pages))
	}
	if got := strings.Count(all, "Ж"); got != 400 {
		t.Errorf("the over-wide word lost characters: %d of 400", got)
	}
}

func TestRenderErrors(t *testing.T) {
	bad := func(text string) *layout.Template {
		tpl, err := layout.NewTemplate("bad", text)
		if err != nil {
			t.Fatal(err)
		}
		return tpl
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		r    pdf.Renderer
		ctx  context.Context
		want error
	}{
		{"failing template", pdf.Renderer{Template: bad(`<doc>{{.NoSuchField}}</doc>`)}, context.Background(), nil},
		{"malformed layout", pdf.Renderer{Template: bad(`<doc><p>unclosed</doc>`)}, context.Background(), nil},
		{"unknown element", pdf.Renderer{Template: bad(`<doc><marquee>x</marquee></doc>`)}, context.Background(), nil},
		{"cancelled", pdf.Renderer{}, cancelled, context.Canceled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.r.Render(tc.ctx, layouttest.Contract())
			if err == nil {
				t.Fatalf("Render succeeded with %d bytes", len(b))
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRenderConcurrently(t *testing.T) {
	c := layouttest.Contract()
	want := render(t, pdf.Renderer{}, c)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := pdf.Renderer{}.Render(context.Background(), c)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("concurrent render: %d bytes, %v", len(got), err)
			}
		})
	}
	wg.Wait()
}

func TestStoreContractAsPDF(t *testing.T) {
	store := &memoryFiles{files: map[string][]byte{}}
	dealer, sale := crm.NewID(), crm.NewID()
	doc, err := sales.StoreContract(context.Background(), store, pdf.Renderer{}, layouttest.Contract(), dealer, sale, layouttest.Input().Date)
	if err != nil {
		t.Fatal(err)
	}
	if doc.ContentType != "application/pdf" || !strings.HasSuffix(doc.Key, ".pdf") || doc.Size != int64(len(store.files[doc.Key])) {
		t.Errorf("document = %+v", doc)
	}
	mustContain(t, strings.Join(pdfText(t, store.files[doc.Key]), " "), layouttest.VIN)
}

// memoryFiles is the least FileStore: this package's tests do not depend on adapters/files.
type memoryFiles struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memoryFiles) Put(_ context.Context, key string, data []byte, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[key] = bytes.Clone(data)
	return nil
}

func (m *memoryFiles) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[key]
	if !ok {
		return nil, crm.NotFound("test", "no %s", key)
	}
	return bytes.Clone(b), nil
}

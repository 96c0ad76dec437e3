package htmldoc_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/htmldoc"
	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
	"github.com/dealercrm/dealercrm/adapters/pdf/layout/layouttest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

func render(t *testing.T, r htmldoc.Renderer, c sales.Contract) string {
	t.Helper()
	b, err := r.Render(context.Background(), c)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return string(b)
}

func contains(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

func TestRenderContract(t *testing.T) {
	page := render(t, htmldoc.Renderer{}, layouttest.Contract())
	contains(t, page,
		"<!DOCTYPE html>", `<html lang="ru">`, `<meta charset="utf-8">`,
		"<title>Договор купли-продажи автомобиля № ДКП-2026/0042</title>",
		"<h1>ДОГОВОР КУПЛИ-ПРОДАЖИ АВТОМОБИЛЯ №\u00a0ДКП-2026/0042</h1>",
		layouttest.BuyerName, layouttest.VIN,
		"<b>ООО «Север-Авто»</b>",
		"<h2>1. ПРЕДМЕТ ДОГОВОРА</h2>",
		`<th class="left">Идентификационный номер (VIN)</th><td class="left">XTA21900080123456</td>`,
		`<col style="width: 33.00%">`,
		`<th class="right" colspan="6">Итого:</th>`,
		"один миллион двести пятьдесят тысяч рублей 50 копеек",
		`<div class="title">Покупатель</div>`, "/ Петров И.\u00a0С. /", `<div class="stamp">М.П.</div>`,
		"@page", "size: A4", "counter(pages)", "display: table-header-group",
	)
	for _, tag := range []string{"table", "tr", "p", "section", "div", "thead", "tbody"} {
		if open, closed := strings.Count(page, "<"+tag+">")+strings.Count(page, "<"+tag+" "), strings.Count(page, "</"+tag+">"); open != closed {
			t.Errorf("<%s>: %d opened, %d closed", tag, open, closed)
		}
	}
}

func TestRenderIsSelfContained(t *testing.T) {
	page := strings.ToLower(render(t, htmldoc.Renderer{}, layouttest.Contract()))
	for _, external := range []string{"http://", "https://", "<link", "<script", "src=", "@import", "url("} {
		if strings.Contains(page, external) {
			t.Errorf("the page refers to something outside it: %q", external)
		}
	}
}

func TestRenderEscapesContractData(t *testing.T) {
	in := layouttest.Input()
	in.Customer.LastName = `<script>alert("x")</script>`
	in.Customer.Address.Street = `"><img src=x onerror=alert(1)>`
	c, err := sales.BuildContract(in)
	if err != nil {
		t.Fatal(err)
	}
	page := render(t, htmldoc.Renderer{}, c)
	contains(t, page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Иван Сергеевич", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;")
	for _, raw := range []string{"<script", "<img"} {
		if strings.Contains(page, raw) {
			t.Errorf("user data reached the page unescaped: %q", raw)
		}
	}
}

func TestRenderWithOwnTemplateAndStyle(t *testing.T) {
	tpl, err := layout.NewTemplate("act", `<doc title="Акт"><h2>Акт приёма-передачи</h2><p align="center">VIN {{.Vehicle.VIN}}<br/><b>{{.Buyer.FullName}}</b></p><space pt="20"/><pagebreak/></doc>`)
	if err != nil {
		t.Fatal(err)
	}
	page := render(t, htmldoc.Renderer{Template: tpl, Style: "body { color: navy; }"}, layouttest.Contract())
	contains(t, page, "<title>Акт</title>", "<h2>Акт приёма-передачи</h2>",
		`<p class="center">VIN `+layouttest.VIN+`<br><b>`+layouttest.BuyerName+`</b></p>`,
		`style="height: 20pt"`, `<div class="pagebreak"></div>`, "body { color: navy; }")
	if strings.Contains(page, "@page") {
		t.Error("the default stylesheet is still there")
	}
}

func TestRenderErrors(t *testing.T) {
	bad, err := layout.NewTemplate("bad", `<doc><p>{{.Nope}}</p></doc>`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (htmldoc.Renderer{Template: bad}).Render(context.Background(), layouttest.Contract()); err == nil {
		t.Error("a failing template rendered")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (htmldoc.Renderer{}).Render(ctx, layouttest.Contract()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled render = %v", err)
	}
}

func TestRenderConcurrently(t *testing.T) {
	c := layouttest.Contract()
	want := render(t, htmldoc.Renderer{}, c)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if got, err := (htmldoc.Renderer{}).Render(context.Background(), c); err != nil || string(got) != want {
				t.Errorf("concurrent render differs: %v", err)
			}
		})
	}
	wg.Wait()
}

func TestStoreContractAsHTML(t *testing.T) {
	files := &oneFile{}
	doc, err := sales.StoreContract(context.Background(), files, htmldoc.Renderer{}, layouttest.Contract(), crm.NewID(), crm.NewID(), layouttest.Input().Date)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(doc.Key, "/contract-ДКП-2026-0042.html") || doc.ContentType != htmldoc.ContentType || files.key != doc.Key {
		t.Errorf("document = %+v", doc)
	}
}

// oneFile is a FileStore that remembers the last Put.
type oneFile struct {
	key  string
	data []byte
}

func (f *oneFile) Put(_ context.Context, key string, data []byte, _ string) error {
	f.key, f.data = key, data
	return nil
}

func (f *oneFile) Get(_ context.Context, key string) ([]byte, error) {
	if key != f.key {
		return nil, crm.NotFound("test", "no %s", key)
	}
	return f.data, nil
}

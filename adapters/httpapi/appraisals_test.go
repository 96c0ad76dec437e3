package httpapi

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"strings"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pngFile is the smallest PNG signature http.DetectContentType knows, with some bytes after it.
var pngFile = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)

func appraisalBody(vin string) map[string]any {
	return map[string]any{"vin": vin, "make": "Kia", "model": "Rio", "year": 2018, "mileage": 84000, "color": "белый",
		"owner": "Петров Иван Сергеевич", "reference_price": map[string]any{"amount": "900000", "currency": "RUB"}}
}

// upload is a multipart POST of one file under the field "file", its file name sent as is.
func upload(path, token, name string, data []byte) req {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, strings.ReplaceAll(name, `"`, `\"`)))
	h.Set("Content-Type", "application/octet-stream")
	part, _ := mw.CreatePart(h)
	_, _ = part.Write(data)
	_ = mw.Close()
	return req{method: "POST", path: path, token: token, body: b.Bytes(),
		header: map[string]string{"Content-Type": mw.FormDataContentType()}}
}

func TestAppraisalSheetOverHTTP(t *testing.T) {
	onBothAdapters(t, testAppraisalSheetOverHTTP)
}

func testAppraisalSheetOverHTTP(t *testing.T, f *fixture) {
	advisor, manager := f.a.token(crm.RoleServiceAdvisor), f.a.token(crm.RoleSalesManager)
	res := f.must(201, post("/api/v1/appraisals", advisor, appraisalBody("Z94CB41AAJR123456")))
	id := res.Str("id")
	a := res.JSON()
	assert.Equal(t, "draft", a["state"])
	assert.Equal(t, map[string]any{"amount": "900000.00", "currency": "RUB"}, a["proposed_price"])
	elements := a["elements"].([]any)
	require.Len(t, elements, len(appraisal.DefaultTemplate()))
	first := elements[0].(map[string]any)
	assert.ElementsMatch(t, []string{"id", "area", "name", "grade", "note", "deduction"}, keysOf(first))
	assert.Equal(t, "body", first["area"])
	assert.Equal(t, "unchecked", first["grade"])
	assert.Equal(t, "/api/v1/appraisals/"+id, res.Header.Get("Location"))

	bad := f.do(post("/api/v1/appraisals", advisor, map[string]any{"vin": "XYZ", "make": "", "model": "Rio", "year": 3000,
		"mileage": -5, "reference_price": map[string]any{"amount": "-1", "currency": "RUB"}, "lead_id": crm.NewID().String()}))
	require.Equal(t, 422, bad.Status, "%s", bad.Body)
	assert.Equal(t, []string{"vin", "make", "year", "mileage", "reference_price.amount", "lead_id"}, bad.Fields())

	el := first["id"].(string)
	res = f.must(200, patch("/api/v1/appraisals/"+id+"/elements/"+el, advisor, map[string]any{"grade": "poor", "note": "вмятина",
		"deduction": map[string]any{"amount": "25000", "currency": "RUB"}}))
	assert.Equal(t, map[string]any{"amount": "875000.00", "currency": "RUB"}, res.JSON()["proposed_price"])
	res = f.must(200, patch("/api/v1/appraisals/"+id, advisor, map[string]any{
		"adjustments":   []any{map[string]any{"amount": map[string]any{"amount": "-5000", "currency": "RUB"}, "reason": "один ключ"}},
		"justification": "Авито и Автотека, минус ремонт капота"}))
	assert.Equal(t, map[string]any{"amount": "870000.00", "currency": "RUB"}, res.JSON()["proposed_price"])
	assert.Len(t, res.JSON()["price_history"], 3, "created, the element, the adjustment")
	bad = f.do(patch("/api/v1/appraisals/"+id+"/elements/"+el, advisor, map[string]any{"grade": "awful",
		"deduction": map[string]any{"amount": "-3", "currency": "RUB"}}))
	require.Equal(t, 422, bad.Status, "%s", bad.Body)
	assert.Equal(t, []string{"grade", "deduction.amount"}, bad.Fields())

	res = f.do(post("/api/v1/appraisals/"+id+"/approve", manager, map[string]any{}))
	assert.Equal(t, 409, res.Status, "a draft is not approved: %s", res.Body)
	assert.Equal(t, "appraisal_transition_not_allowed", res.Str("code"))
	f.must(200, post("/api/v1/appraisals/"+id+"/submit", advisor, map[string]any{"comment": "готово"}))
	res = f.do(post("/api/v1/appraisals/"+id+"/approve", advisor, map[string]any{}))
	assert.Equal(t, 403, res.Status, "a service advisor may not approve: %s", res.Body)
	res = f.do(patch("/api/v1/appraisals/"+id+"/elements/"+el, advisor, map[string]any{"note": "поздно"}))
	assert.Equal(t, 409, res.Status)
	assert.Equal(t, "appraisal_not_draft", res.Str("code"))
	res = f.must(200, post("/api/v1/appraisals/"+id+"/approve", manager, map[string]any{"comment": "согласовано"}))
	assert.Equal(t, "approved", res.Str("state"))
	res = f.do(post("/api/v1/appraisals/"+id+"/reject", manager, map[string]any{"comment": "нет"}))
	assert.Equal(t, 409, res.Status, "an approved sheet is not rejected")

	list := f.must(200, get("/api/v1/appraisals?state=approved", advisor)).Items()
	require.Len(t, list, 1)
	assert.Equal(t, id, list[0]["id"])
	assert.Empty(t, f.must(200, get("/api/v1/appraisals?state=draft", advisor)).Items())
	res = f.do(get("/api/v1/appraisals?state=sold", advisor))
	assert.Equal(t, 422, res.Status)
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestAppraisalFilesOverHTTP(t *testing.T) {
	onBothAdapters(t, testAppraisalFilesOverHTTP)
}

func testAppraisalFilesOverHTTP(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleServiceAdvisor)
	id := f.must(201, post("/api/v1/appraisals", tok, appraisalBody("Z94CB41AAJR123456"))).Str("id")
	files := "/api/v1/appraisals/" + id + "/files"
	res := f.must(201, upload(files, tok, "капот.png", pngFile))
	assert.Equal(t, "image/png", res.Str("content_type"))
	assert.Equal(t, "капот.png", res.Str("name"))
	assert.Equal(t, appraisal.PhotoKind, res.Str("kind"))
	photo := res.Str("id")
	pdf := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	scan := f.must(201, upload(files, tok, "ПТС", pdf))
	assert.Equal(t, "ПТС.pdf", scan.Str("name"))
	assert.Equal(t, "application/pdf", scan.Str("content_type"))

	hostile := []struct {
		name, file string
		data       []byte
		status     int
		fields     []string
	}{
		{"html posing as an image", "x.png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), 422, []string{"file"}},
		{"an executable posing as a PDF", "x.pdf", append([]byte("MZ\x90\x00\x03"), bytes.Repeat([]byte{0}, 100)...), 422, []string{"file"}},
		{"a path", "../../../etc/cron.d/x.png", pngFile, 422, []string{"file.name"}},
		{"a windows path", `..\..\boot.png`, pngFile, 422, []string{"file.name"}},
		{"just over the limit", "big.png", append(append([]byte(nil), pngFile...), make([]byte, appraisal.MaxFileSize)...), 422, []string{"file"}},
		{"over the request limit", "huge.png", append(append([]byte(nil), pngFile...), make([]byte, appraisal.MaxFileSize+2<<20)...), 413, nil},
	}
	for _, h := range hostile {
		res := f.do(upload(files, tok, h.file, h.data))
		assert.Equal(t, h.status, res.Status, "%s: %s", h.name, res.Body)
		if h.fields != nil {
			assert.Equal(t, h.fields, res.Fields(), h.name)
		}
	}
	res = f.do(req{method: "POST", path: files, token: tok, body: map[string]any{"file": "x"}})
	assert.Equal(t, 415, res.Status, "JSON is not an upload")

	items := f.must(200, get(files, tok)).Items()
	require.Len(t, items, 2, "the refused uploads left nothing")
	got := f.must(200, get(files+"/"+photo, tok))
	assert.Equal(t, pngFile, got.Body)
	assert.Equal(t, "image/png", got.Header.Get("Content-Type"))
	assert.Equal(t, "nosniff", got.Header.Get("X-Content-Type-Options"))
	assert.Contains(t, got.Header.Get("Content-Disposition"), "attachment")
	urls := []any{items[0]["content_url"], items[1]["content_url"]}
	assert.Contains(t, urls, files+"/"+photo)
	assert.Equal(t, 404, f.do(get(files+"/"+crm.NewID().String(), tok)).Status)
	other := f.must(201, post("/api/v1/appraisals", tok, appraisalBody("Z94CB41AAJR654321"))).Str("id")
	assert.Equal(t, 404, f.do(get("/api/v1/appraisals/"+other+"/files/"+photo, tok)).Status, "a file of another sheet")
}

func TestAppraisalTemplateOverHTTP(t *testing.T) {
	f := newFixture(t)
	admin := f.a.token(crm.RoleAdmin)
	res := f.must(200, get("/api/v1/appraisal-template", admin))
	assert.Equal(t, float64(0), res.JSON()["version"])
	assert.Equal(t, `"0"`, res.Header.Get("ETag"))
	res = f.do(req{method: "PUT", path: "/api/v1/appraisal-template", token: f.a.token(crm.RoleSalesManager),
		body: map[string]any{"elements": []any{map[string]any{"area": "body", "name": "Капот"}}}})
	assert.Equal(t, 403, res.Status)
	res = f.do(req{method: "PUT", path: "/api/v1/appraisal-template", token: admin,
		body: map[string]any{"elements": []any{map[string]any{"area": "roof", "name": "Крыша"}, map[string]any{"area": "body", "name": ""}}}})
	require.Equal(t, 422, res.Status, "%s", res.Body)
	assert.Equal(t, []string{"elements[0].area", "elements[1].name"}, res.Fields())
	res = f.must(200, req{method: "PUT", path: "/api/v1/appraisal-template", token: admin,
		body: map[string]any{"elements": []any{map[string]any{"area": "documents_keys", "name": "ПТС"}, map[string]any{"area": "body", "name": "Капот"}}}})
	assert.Equal(t, float64(1), res.JSON()["version"])
	a := f.must(201, post("/api/v1/appraisals", admin, appraisalBody("Z94CB41AAJR123456"))).JSON()
	names := []string{}
	for _, e := range a["elements"].([]any) {
		names = append(names, e.(map[string]any)["name"].(string))
	}
	assert.Equal(t, []string{"Капот", "ПТС"}, names)
	res = f.do(req{method: "PUT", path: "/api/v1/appraisal-template", token: admin,
		body: map[string]any{"elements": []any{map[string]any{"area": "body", "name": "Капот"}}}}.with("If-Match", `"0"`))
	assert.Equal(t, 412, res.Status)
}

// approvedAppraisal creates, submits and approves a sheet of d at reference ref less deduction ded.
func (f *fixture) approvedAppraisal(d dealerFixture, vin, ref, ded string) string {
	f.t.Helper()
	tok := d.token(crm.RoleSalesManager)
	body := appraisalBody(vin)
	body["reference_price"] = map[string]any{"amount": ref, "currency": "RUB"}
	body["justification"] = "по рынку, минус ремонт"
	a := f.must(201, post("/api/v1/appraisals", tok, body))
	id, el := a.Str("id"), a.JSON()["elements"].([]any)[0].(map[string]any)["id"].(string)
	f.must(200, patch("/api/v1/appraisals/"+id+"/elements/"+el, tok, map[string]any{"grade": "poor",
		"deduction": map[string]any{"amount": ded, "currency": "RUB"}}))
	f.must(200, post("/api/v1/appraisals/"+id+"/submit", tok, nil))
	f.must(200, post("/api/v1/appraisals/"+id+"/approve", tok, nil))
	return id
}

func TestTradeInLinkOverHTTP(t *testing.T) {
	onBothAdapters(t, testTradeInLinkOverHTTP)
}

func testTradeInLinkOverHTTP(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	customer := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	sale := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": customer, "vehicle_id": f.createVehicle(f.a, vins[2])})).Str("id")
	other := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": customer})).Str("id")

	draft := f.must(201, post("/api/v1/appraisals", tok, appraisalBody("Z94CB41AAJR111111"))).Str("id")
	res := f.do(patch("/api/v1/sales/"+sale, tok, map[string]any{"trade_in_appraisal_id": draft}))
	assert.Equal(t, 409, res.Status, "%s", res.Body)
	assert.Equal(t, "appraisal_not_approved", res.Str("code"))
	res = f.do(patch("/api/v1/sales/"+sale, tok, map[string]any{"trade_in_appraisal_id": crm.NewID().String()}))
	assert.Equal(t, 422, res.Status)
	assert.Equal(t, []string{"trade_in_appraisal_id"}, res.Fields())
	theirs := f.approvedAppraisal(f.b, "Z94CB41AAJR222222", "500000", "0")
	res = f.do(patch("/api/v1/sales/"+sale, tok, map[string]any{"trade_in_appraisal_id": theirs}))
	assert.Equal(t, 422, res.Status, "another dealer's sheet: %s", res.Body)

	ours := f.approvedAppraisal(f.a, "Z94CB41AAJR333333", "650000", "12500.50")
	res = f.must(200, patch("/api/v1/sales/"+sale, tok, map[string]any{"trade_in_appraisal_id": ours, "payment_method": "trade_in"}))
	assert.Equal(t, ours, res.Str("trade_in_appraisal_id"))
	assert.Equal(t, sale, f.must(200, get("/api/v1/appraisals/"+ours, tok)).Str("trade_in_sale_id"))
	res = f.do(patch("/api/v1/sales/"+other, tok, map[string]any{"trade_in_appraisal_id": ours}))
	assert.Equal(t, 409, res.Status)
	assert.Equal(t, "trade_in_taken", res.Str("code"))

	st := f.must(200, get("/api/v1/sales/"+sale+"/settlement", tok)).JSON()
	assert.Equal(t, map[string]any{"amount": "637499.50", "currency": "RUB"}, st["trade_in"].(map[string]any)["amount"])
	total := st["total"].(map[string]any)["amount"].(string)
	assert.NotEmpty(t, total)

	f.must(200, post("/api/v1/sales/"+sale+"/win", tok, map[string]any{}))
	pdf := f.must(200, get("/api/v1/sales/"+sale+"/contract.pdf", tok))
	text := pdfText(t, pdf.Body)
	assert.Contains(t, text, "637 499,50", "the trade-in price: %s", text)
	assert.Contains(t, text, "Kia Rio")
	assert.Contains(t, text, "Z94CB41AAJR333333", "the trade-in car's VIN")
	assert.Contains(t, text, "трейд-ин")
}

func TestTradeInRaceOverHTTP(t *testing.T) {
	onBothAdapters(t, testTradeInRaceOverHTTP)
}

// testTradeInRaceOverHTTP: twenty open sales ask at once for one approved sheet as their trade-in: one 200, nineteen
// 409 trade_in_taken, and the sheet names the winner.
func testTradeInRaceOverHTTP(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	customer := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	sheet := f.approvedAppraisal(f.a, "Z94CB41AAJR444444", "500000", "0")
	const n = 20
	saleIDs := make([]string, n)
	for i := range saleIDs {
		saleIDs[i] = f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": customer})).Str("id")
	}
	statuses := make([]int, n)
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range saleIDs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res := f.do(patch("/api/v1/sales/"+saleIDs[i], tok, map[string]any{"trade_in_appraisal_id": sheet}))
			statuses[i] = res.Status
			if res.Status != 200 {
				codes[i] = res.Str("code")
			}
		}(i)
	}
	wg.Wait()
	winner := ""
	count := map[int]int{}
	for i, s := range statuses {
		count[s]++
		if s == 200 {
			winner = saleIDs[i]
		} else {
			assert.Equal(t, "trade_in_taken", codes[i])
		}
	}
	assert.Equal(t, map[int]int{200: 1, 409: n - 1}, count)
	assert.Equal(t, winner, f.must(200, get("/api/v1/appraisals/"+sheet, tok)).Str("trade_in_sale_id"))
}

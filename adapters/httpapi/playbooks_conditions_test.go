package httpapi

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlaybookConditions(t *testing.T) { onBothAdapters(t, testPlaybookConditions) }

// testPlaybookConditions, over HTTP: a step's due time counts the dealer's sales hours (a lead at 19:55 with the
// showroom closing at 20:00 has its call due at 09:10); a sale converted from a lead with a booked drive gets
// "book a test drive" done, not open; the credit step of a sale switched to cash is cancelled and stops blocking,
// and one switched to credit gets it, blocking with the step's members.
func testPlaybookConditions(t *testing.T, f *fixture) {
	admin, tok := f.a.token(crm.RoleAdmin), f.a.token(crm.RoleSalesManager)
	stage := func(list, code string) string {
		for _, s := range f.must(200, get(list, tok)).Items() {
			if s["code"] == code {
				return s["id"].(string)
			}
		}
		t.Fatalf("no stage %s in %s", code, list)
		return ""
	}
	leadNew := stage("/api/v1/lead-stages", "new")
	testDrive, proposal := stage("/api/v1/sales-stages", "test_drive"), stage("/api/v1/sales-stages", "proposal")
	negotiation := stage("/api/v1/sales-stages", "negotiation")
	for id, steps := range map[string][]any{
		leadNew:   {map[string]any{"key": "first_call", "title": "Позвонить", "due_minutes": 15, "completes_on": "call_completed"}},
		testDrive: {map[string]any{"key": "book_test_drive", "title": "Записать на тест-драйв", "completes_on": "test_drive_booked"}},
		proposal: {map[string]any{"key": "offer", "title": "КП"}, map[string]any{"key": "credit_application", "title": "Кредитная заявка",
			"required": true, "completes_on": "credit_application_created", "only_if": "payment_credit"}},
	} {
		f.must(200, put("/api/v1/playbooks/"+id, tok, map[string]any{"steps": steps}))
	}
	stepOf := func(query, key string) map[string]any {
		for _, a := range f.must(200, get("/api/v1/activities?limit=100&"+query, tok)).Items() {
			if s, _ := a["playbook_step"].(map[string]any); s != nil && s["key"] == key {
				return a // newest first: the latest of the key
			}
		}
		return nil
	}

	// Working hours: 09:00–20:00; a lead at 19:55 has its 15-minute call due at 09:10 next morning.
	f.must(200, put("/api/v1/settings/lead-response", admin, map[string]any{"target_minutes": 15, "workday_start": "09:00",
		"workday_end": "20:00", "weekdays": []any{0, 1, 2, 3, 4, 5, 6}, "time_zone": "Europe/Moscow"}))
	msk := func(day, h, m int) time.Time { return time.Date(2026, 11, day, h-3, m, 0, 0, time.UTC) }
	f.clock.Set(msk(27, 19, 55))
	late := f.createLead(f.a, "Поздний Клиент", "+7 916 000-31-01")
	assert.Equal(t, "2026-11-28T06:10:00.000000Z", stepOf("lead_id="+late, "first_call")["due_at"])
	f.clock.Set(epoch)

	// A lead with a booked drive, converted: its sale reaching the test-drive stage has the step done.
	vid := f.createVehicle(f.a, "XTAGFK330NY000311")
	lead := f.createLead(f.a, "Борис Заранее", "+7 916 000-31-02")
	start, end := slot(0)
	f.must(201, post("/api/v1/leads/"+lead+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": start, "end": end}))
	sale := f.must(201, post("/api/v1/leads/"+lead+"/convert", tok, nil)).Str("id")
	f.must(200, patch("/api/v1/sales/"+sale, tok, map[string]any{"stage_id": testDrive}))
	drive := stepOf("sale_id="+sale, "book_test_drive")
	require.NotNil(t, drive)
	assert.Equal(t, "done", drive["status"], "the drive was booked before the stage")
	assert.Contains(t, drive["result"], "test_drive_booked")

	// Paid by credit at the proposal: the required credit step blocks, with its members; switched to cash it is
	// cancelled and the sale moves on.
	f.must(200, patch("/api/v1/sales/"+sale, tok, map[string]any{"stage_id": proposal, "payment_method": "credit"}))
	credit := stepOf("sale_id="+sale, "credit_application")
	require.NotNil(t, credit)
	assert.Equal(t, "open", credit["status"])
	blocked := f.must(409, patch("/api/v1/sales/"+sale, tok, map[string]any{"stage_id": negotiation}))
	assert.Equal(t, "playbook_step_open", blocked.Str("code"))
	assert.Equal(t, "credit_application", blocked.Str("step"))
	assert.Equal(t, "Кредитная заявка", blocked.Str("step_title"))
	assert.Equal(t, credit["id"], blocked.Str("activity_id"))
	f.must(200, patch("/api/v1/sales/"+sale, tok, map[string]any{"payment_method": "cash"}))
	assert.Equal(t, "cancelled", f.must(200, get("/api/v1/activities/"+credit["id"].(string), tok)).Str("status"))
	f.must(200, patch("/api/v1/sales/"+sale, tok, map[string]any{"stage_id": negotiation}))

	// Cash at the proposal, then credit: the step appears and blocks.
	other := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": f.newCustomerID(f.a), "payment_method": "cash"})).Str("id")
	f.must(200, patch("/api/v1/sales/"+other, tok, map[string]any{"stage_id": proposal}))
	assert.Nil(t, stepOf("sale_id="+other, "credit_application"))
	f.must(200, patch("/api/v1/sales/"+other, tok, map[string]any{"payment_method": "credit"}))
	assert.Equal(t, "open", stepOf("sale_id="+other, "credit_application")["status"])
	assert.Equal(t, "credit_application", f.must(409, patch("/api/v1/sales/"+other, tok, map[string]any{"stage_id": negotiation})).Str("step"))
}

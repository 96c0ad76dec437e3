package httpapi

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// A test drive is bookable only within the booking horizon (180 days by default): one further ahead is a 422
// naming start, and the car stays free.
func TestTestDriveBeyondTheBookingHorizon(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	vid := f.createVehicle(f.a, "XTA210990Y2766389")
	lid := f.createLead(f.a, "Иван Петров", "+7 900 000-00-00")
	at := func(days int) (string, string) {
		s := epoch.Add(time.Hour + time.Duration(days)*24*time.Hour)
		return s.Format(time.RFC3339), s.Add(30 * time.Minute).Format(time.RFC3339)
	}
	start, end := at(200)
	bad := f.must(422, post("/api/v1/leads/"+lid+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": start, "end": end}))
	assert.Equal(t, []string{"start"}, bad.Fields())
	assert.Contains(t, bad.Str("detail"), "180 days")
	assert.Equal(t, "in_stock", f.must(200, get("/api/v1/vehicles/"+vid, tok)).Str("status"))
	start, end = at(170)
	f.must(201, post("/api/v1/leads/"+lid+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": start, "end": end}))
}

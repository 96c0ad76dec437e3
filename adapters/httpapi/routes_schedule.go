package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// testDriveSettingsIn is the dealer's test-drive schedule: GET and PUT /api/v1/settings/test-drives.
type testDriveSettingsIn struct {
	SlotMinutes  int    `json:"slot_minutes" oa:"required" doc:"a drive lasts a multiple of this many minutes"`
	WorkdayStart string `json:"workday_start" oa:"required" doc:"opening, HH:MM local time"`
	WorkdayEnd   string `json:"workday_end" oa:"required" doc:"closing, HH:MM local time (24:00 for midnight)"`
	TimeZone     string `json:"time_zone" oa:"required" doc:"IANA time zone the hours are reckoned in, e.g. Europe/Moscow"`
}

// testDriveSettingsOut is the schedule as answers show it.
type testDriveSettingsOut struct {
	testDriveSettingsIn
	Version   int64  `json:"version" doc:"0 while the dealer uses the defaults"`
	UpdatedAt *stamp `json:"updated_at" doc:"null while the dealer uses the defaults"`
}

func testDriveSettingsView(s leads.Schedule) testDriveSettingsOut {
	out := testDriveSettingsOut{testDriveSettingsIn: testDriveSettingsIn{SlotMinutes: int(s.SlotLength / time.Minute),
		WorkdayStart: hhmm(s.WorkdayStart), WorkdayEnd: hhmm(s.WorkdayEnd), TimeZone: s.TimeZone}, Version: s.Version}
	if s.Version > 0 {
		out.UpdatedAt = stampPtr(&s.UpdatedAt)
	}
	return out
}

// hhmm formats a time of day given as a duration since midnight.
func hhmm(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// parseHHMM reads a time of day HH:MM (00:00 to 24:00) as a duration since midnight.
func parseHHMM(p *crm.Problems, field, s string) time.Duration {
	var h, m int
	if n, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || n != 2 || len(s) != 5 || h > 24 || m > 59 || (h == 24 && m != 0) {
		p.Add(field, "must be a time of day HH:MM")
		return 0
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
}

// slotOut is a free test-drive slot.
type slotOut struct {
	Start stamp `json:"start"`
	End   stamp `json:"end"`
}

// calendarParams are the query parameters of a period.
var calendarParams = []param{
	{Name: "from", Type: "date-time", Desc: "start of the period (RFC 3339); default: now"},
	{Name: "to", Type: "date-time", Desc: "end of the period, exclusive (RFC 3339); default: 7 days after from; at most 62 days after from"},
}

func (h *Handler) scheduleRoutes() []route {
	if h.cfg.Leads == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/settings/test-drives", ID: "getTestDriveSettings", Tag: "test drives",
			Summary: "The dealer's test-drive schedule: slot length, working hours, time zone", Access: crm.PermRead,
			Status: 200, Out: testDriveSettingsOut{}, ETag: true, handle: h.getTestDriveSettings},
		{Method: "PUT", Path: "/api/v1/settings/test-drives", Example: obj{"slot_minutes": 30, "workday_start": "09:00", "workday_end": "21:00", "time_zone": "Europe/Moscow"}, ID: "setTestDriveSettings", Tag: "test drives", IfMatch: true,
			Summary: "Change the dealer's test-drive schedule (bookings made from now on follow it)", Access: crm.PermEditSettings,
			Body: testDriveSettingsIn{}, Status: 200, Out: testDriveSettingsOut{}, ETag: true, handle: h.setTestDriveSettings},
		{Method: "GET", Path: "/api/v1/test-drives", ID: "listTestDrives", Tag: "test drives",
			Summary: "The dealer's test drives of every car overlapping a period, by start", Access: crm.PermRead,
			Query: withPage(append(calendarParams,
				param{Name: "vehicle_id", Type: "uuid", Desc: "only this vehicle's drives"},
				param{Name: "status", Desc: "only drives of this status", Of: "TestDriveStatus"})...),
			Status: 200, Out: listOut[testDriveOut]{}, handle: h.listTestDrives},
		{Method: "GET", Path: "/api/v1/vehicles/{id}/free-slots", ID: "listFreeSlots", Tag: "test drives",
			Summary: "The one-slot periods booking would accept for the vehicle now, by start", Access: crm.PermRead,
			Query: withPage(calendarParams...), Status: 200, Out: listOut[slotOut]{}, handle: h.listFreeSlots},
	}
}

func (h *Handler) getTestDriveSettings(w http.ResponseWriter, r *http.Request) error {
	s, err := h.cfg.Leads.GetTestDriveSchedule(r.Context())
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, s.Version, testDriveSettingsView(s))
}

func (h *Handler) setTestDriveSettings(w http.ResponseWriter, r *http.Request) error {
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in testDriveSettingsIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	s := leads.Schedule{SlotLength: time.Duration(in.SlotMinutes) * time.Minute, TimeZone: in.TimeZone,
		WorkdayStart: parseHHMM(&p, "workday_start", in.WorkdayStart), WorkdayEnd: parseHHMM(&p, "workday_end", in.WorkdayEnd)}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	out, err := h.cfg.Leads.SetTestDriveSchedule(r.Context(), want, s)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, out.Version, testDriveSettingsView(out))
}

// defaultPeriod is the length of a calendar query without to.
const defaultPeriod = 7 * 24 * time.Hour

// periodOf reads the from (default: now) and to (default: a week after from) of a calendar query.
func (h *Handler) periodOf(p *crm.Problems, r *http.Request) (time.Time, time.Time) {
	q := queryOf(r)
	from, to := parseTime(p, "from", q.Get("from")), parseTime(p, "to", q.Get("to"))
	if from.IsZero() && q.Get("from") == "" {
		from = h.clock.Now().UTC().Truncate(time.Minute)
	}
	if to.IsZero() && q.Get("to") == "" && !from.IsZero() {
		to = from.Add(defaultPeriod)
	}
	return from, to
}

func (h *Handler) listTestDrives(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	from, to := h.periodOf(&p, r)
	f := leads.TestDriveFilter{From: from, To: to, VehicleID: parseIDField(&p, "vehicle_id", queryOf(r).Get("vehicle_id")),
		Status: leads.TestDriveStatus(queryOf(r).Get("status"))}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.Leads.ListTestDrives(r.Context(), f, crm.PageRequest{Limit: pg.Limit, Cursor: pg.Cursor})
	if err != nil {
		return err
	}
	return writeList(w, res.Items, testDriveView, res.NextCursor)
}

func (h *Handler) listFreeSlots(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	from, to := h.periodOf(&p, r)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	slots, err := h.cfg.Leads.ListFreeSlots(r.Context(), id, from, to)
	if err != nil {
		return err
	}
	items, next, err := paginate(slots, func(s leads.Slot) string { return s.Start.Format(time.RFC3339) }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, func(s leads.Slot) slotOut {
		return slotOut{Start: stampOf(s.Start), End: stampOf(s.End)}
	}, next)
}

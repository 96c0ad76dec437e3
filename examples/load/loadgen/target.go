package loadgen

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// Target is the API under load: its base URL and the bearer token of a user who may write (admin or sales
// manager).
type Target struct {
	Base   string // e.g. http://127.0.0.1:8080
	Token  string
	Client *http.Client
}

// Fixture is what Setup prepared on the target: a vehicle to read, and for each worker a vehicle and a lead of
// its own, so that the workers' test-drive bookings never contend for one car.
type Fixture struct {
	VehicleID string
	Vehicles  []string // per worker
	Leads     []string // per worker
	run       string   // a random tag of this run, in VINs, phones and e-mails
	day0      time.Time
}

// msk is the dealers' time zone (the default test-drive schedule: 09:00–21:00 Moscow time, 30-minute slots).
var msk = time.FixedZone("MSK", 3*3600)

// Setup creates, for each of workers, a vehicle and a lead on the target.
func Setup(ctx context.Context, t Target, workers int) (*Fixture, error) {
	f := &Fixture{run: randomTag(5)}
	tomorrow := time.Now().In(msk).AddDate(0, 0, 1)
	f.day0 = time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 0, 0, 0, 0, msk)
	for w := range workers {
		var v struct{ ID string }
		vin := VIN("XTA" + f.run + "0TL" + fmt.Sprintf("%06d", w))
		err := t.post(ctx, "/api/v1/vehicles", map[string]any{"vin": vin, "make": "Lada", "model": "Vesta",
			"trim": "Life", "year": 2026, "list_price": map[string]string{"amount": "1459000.00", "currency": "RUB"}}, &v)
		if err != nil {
			return nil, fmt.Errorf("create vehicle: %w", err)
		}
		var l struct{ ID string }
		if err := t.post(ctx, "/api/v1/leads", f.lead(w, 99999), &l); err != nil {
			return nil, fmt.Errorf("create lead: %w", err)
		}
		f.Vehicles, f.Leads = append(f.Vehicles, v.ID), append(f.Leads, l.ID)
	}
	if len(f.Vehicles) == 0 {
		return nil, fmt.Errorf("no workers")
	}
	f.VehicleID = f.Vehicles[0]
	return f, nil
}

// lead is the body of lead number i of worker w: a unique phone and e-mail.
func (f *Fixture) lead(w, i int) map[string]any {
	return map[string]any{"name": "Нагрузочный Тест Тестович", "phone": fmt.Sprintf("+79%s%02d%05d", f.run[:2], w%100, i%100000),
		"email": fmt.Sprintf("load-%s-%d-%d@example.ru", strings.ToLower(f.run), w, i), "need_type": "car_purchase", "source": "website"}
}

// slot is the test-drive slot of booking i of a worker: 30-minute slots from 09:00 to 21:00 Moscow time, day
// after day from tomorrow.
func (f *Fixture) slot(i int) (time.Time, time.Time) {
	start := f.day0.AddDate(0, 0, i/24).Add(9*time.Hour + time.Duration(i%24)*30*time.Minute)
	return start, start.Add(30 * time.Minute)
}

// Routes returns the measured routes, by short name: get (one vehicle), list (a page of 20 vehicles), lead
// (create a lead), drive (book a test drive, which reserves the car).
func (t Target) Routes(f *Fixture) map[string]Route {
	return map[string]Route{
		"get": {Name: "GET  /api/v1/vehicles/{id}", Want: 200, New: func(w, i int) (*http.Request, error) {
			return t.request("GET", "/api/v1/vehicles/"+f.VehicleID, nil)
		}},
		"list": {Name: "GET  /api/v1/vehicles?limit=20", Want: 200, New: func(w, i int) (*http.Request, error) {
			return t.request("GET", "/api/v1/vehicles?limit=20", nil)
		}},
		"lead": {Name: "POST /api/v1/leads", Want: 201, New: func(w, i int) (*http.Request, error) {
			return t.request("POST", "/api/v1/leads", f.lead(w, i))
		}},
		"drive": {Name: "POST /api/v1/leads/{id}/test-drives", Want: 201, New: func(w, i int) (*http.Request, error) {
			start, end := f.slot(i)
			return t.request("POST", "/api/v1/leads/"+f.Leads[w]+"/test-drives", map[string]string{
				"vehicle_id": f.Vehicles[w], "start": start.Format(time.RFC3339), "end": end.Format(time.RFC3339)})
		}},
	}
}

// RouteOrder is the order in which routes run and are reported.
var RouteOrder = []string{"get", "list", "lead", "drive"}

// request builds a request with the token and, for a body, JSON.
func (t Target) request(method, path string, body any) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, strings.TrimSuffix(t.Base, "/")+path, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+t.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// post sends a JSON body and decodes the 201 answer into out.
func (t Target) post(ctx context.Context, path string, body, out any) error {
	req, err := t.request("POST", path, body)
	if err != nil {
		return err
	}
	resp, err := t.Client.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST %s: status %d: %.300s", path, resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}

// vinAlphabet is what a VIN may hold: digits and capital letters except I, O and Q.
const vinAlphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"

// randomTag returns n random VIN characters.
func randomTag(n int) string {
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(vinAlphabet))))
		b[i] = vinAlphabet[k.Int64()]
	}
	return string(b)
}

// VIN returns the 17 characters of v with the North-American check digit at position 9, so that the VIN is
// valid under both VIN policies.
func VIN(v string) string {
	weights := [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	letters := "ABCDEFGHJKLMNPRSTUVWXYZ"
	values := []int{1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9}
	sum := 0
	for i := 0; i < 17 && i < len(v); i++ {
		c := v[i]
		n := 0
		if c >= '0' && c <= '9' {
			n = int(c - '0')
		} else if k := strings.IndexByte(letters, c); k >= 0 {
			n = values[k]
		}
		sum += n * weights[i]
	}
	check := byte('X')
	if r := sum % 11; r < 10 {
		check = byte('0' + r)
	}
	return v[:8] + string(check) + v[9:]
}

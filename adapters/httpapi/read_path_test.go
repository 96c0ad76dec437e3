package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// TestVehicleReadsEncodeTheStoredCardWhileItChanges: GET one vehicle and a page of vehicles encode the memory
// store's own card, without a copy (catalog.VehicleReader), while other requests edit, reserve and release the same
// cards. Run with -race: a write into a card a read is encoding, or a read of a card being written, is a data race.
// Every answer is a whole card whose ETag is its version, and at rest the read path answers exactly what the copying
// path (GetVehicle, SearchVehicles) encodes.
func TestVehicleReadsEncodeTheStoredCardWhileItChanges(t *testing.T) {
	f := newFixture(t)
	f.skipDocCheck = true
	read, edit := f.a.token(crm.RoleReadOnly), f.a.token(crm.RoleAdmin)
	var ids []string
	for i := range 5 {
		ids = append(ids, f.createVehicle(f.a, fmt.Sprintf("XTC%014d", i)))
	}
	serve := func(method, path, tok, body string) (int, string, string) {
		var r = httptest.NewRequest(method, path, nil)
		if body != "" {
			r = httptest.NewRequest(method, path, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
		}
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		return w.Code, w.Header().Get("ETag"), w.Body.String()
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 2 { // writers: colours, statuses and reservations of every card
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				id := ids[(i+g)%len(ids)]
				var code int
				var body string
				switch i % 3 {
				case 0:
					code, _, body = serve("PATCH", "/api/v1/vehicles/"+id, edit, fmt.Sprintf(`{"color":"цвет %d-%d"}`, g, i))
				case 1:
					st := []string{"unavailable", "in_stock"}[i/3%2]
					code, _, body = serve("POST", "/api/v1/vehicles/"+id+"/status", edit, `{"status":"`+st+`"}`)
				default:
					code, _, body = serve("PATCH", "/api/v1/vehicles/"+id, edit, fmt.Sprintf(`{"location":"площадка %d"}`, i))
				}
				if code != 200 && code != 409 && code != 412 { // a write racing the other writer may lose (412 after its retries)
					errs <- fmt.Errorf("write: %d %s", code, body)
					return
				}
			}
		}()
	}
	for g := range 4 { // readers: one card, and a page
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 60 {
				if g%2 == 0 {
					code, etag, body := serve("GET", "/api/v1/vehicles/"+ids[i%len(ids)], read, "")
					var card struct {
						ID      string `json:"id"`
						Version int64  `json:"version"`
					}
					if code != 200 || json.Unmarshal([]byte(body), &card) != nil || card.ID != ids[i%len(ids)] ||
						etag != `"`+strconv.FormatInt(card.Version, 10)+`"` {
						errs <- fmt.Errorf("GET one: %d %s %s", code, etag, body)
						return
					}
					continue
				}
				code, _, body := serve("GET", "/api/v1/vehicles?limit=3", read, "")
				var page struct {
					Items []struct {
						ID string `json:"id"`
					} `json:"items"`
					NextCursor *string `json:"next_cursor"`
				}
				if code != 200 || json.Unmarshal([]byte(body), &page) != nil || len(page.Items) != 3 || page.NextCursor == nil {
					errs <- fmt.Errorf("page: %d %s", code, body)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// At rest: the read path's bytes are the copying path's.
	for _, id := range ids {
		v, err := f.h.cfg.Catalog.GetVehicle(f.a.ctx, uuid.MustParse(id))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(vehicleView(v))
		if _, _, got := serve("GET", "/api/v1/vehicles/"+id, read, ""); got != string(want)+"\n" {
			t.Errorf("GET one:\n got %s\nwant %s", got, want)
		}
	}
	res, err := f.h.cfg.Catalog.SearchVehicles(f.a.ctx, catalog.VehicleQuery{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(listOf(mapList(res.Items, vehicleView), res.NextCursor))
	if _, _, got := serve("GET", "/api/v1/vehicles?limit=2", read, ""); got != string(want)+"\n" {
		t.Errorf("page:\n got %s\nwant %s", got, want)
	}
}

// TestVehicleEncoderIsTheView holds appendVehicleJSON, which encodes a card without making its view, to the bytes
// json.Marshal writes for vehicleView of the same card: 3,000 cards filled at random (hostile strings in every
// text, names with invalid UTF-8 meeting at the spaces, zero and non-zero times, amounts in currencies with 0, 2
// and 3 minor units, builds and reservations or none) and the zero card.
func TestVehicleEncoderIsTheView(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 55))
	for n := range 3000 {
		var v catalog.Vehicle
		if n > 0 {
			fillValue(reflect.ValueOf(&v).Elem(), r, 0)
		}
		if n%7 == 1 { // parts that would merge into one rune if they met without the space
			v.Make, v.Model, v.Trim = "Lada\xd0", "\x90Vesta", "\xe2\x80"
		}
		want, err := json.Marshal(vehicleView(v))
		if err != nil {
			t.Fatal(err)
		}
		if got := appendVehicleJSON([]byte("x"), &v); !bytes.Equal(got[1:], want) {
			t.Fatalf("card %d:\n got %s\nwant %s", n, got[1:], want)
		}
	}
	skipWithoutEncoders(t) // the allocations below are the hand-written encoder's
	v := catalog.Vehicle{Meta: crm.Meta{ID: crm.NewID(), Version: 3, CreatedAt: epoch, UpdatedAt: epoch}, VIN: "XTA21700080000001",
		Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026, Color: "белый", Condition: "new", Status: "in_stock",
		ArrivedAt: epoch}
	v.Finance.ListPrice = crm.NewMoney(decimal.RequireFromString("1450000.00"), "RUB")
	v.Finance.VATRate = decimal.RequireFromString("20")
	buf := make([]byte, 0, 8192)
	if n := testing.AllocsPerRun(100, func() { buf = appendVehicleJSON(buf[:0], &v) }); n != 0 {
		t.Errorf("a card of the catalog allocates %v times", n)
	}
}

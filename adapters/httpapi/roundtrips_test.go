package httpapi

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/playbooks"
)

// roundTripBudgets is the most round trips to PostgreSQL (lib/pq with binary_parameters, as postgres.Open opens
// it: one round trip per statement; counted on the wire by pgtest.OpenCounting)
// each main route may make once warm, with the caller's token cached (the handler's default). docs/benchmarks.md ("Round trips per
// route") keeps the history and the targets of issue 16; lower a budget whenever a change lowers the count.
var roundTripBudgets = map[string]int{
	"GET /api/v1/vehicles/{id}":     1,
	uncached:                        2, // the key and its user read and the last use recorded in one statement (crm.APIKeyAuthenticator), the GET
	"GET /api/v1/vehicles?limit=20": 1,
	"GET /api/v1/leads/{id}":        1,
	// The stage playbooks (issue 14 item 2) cost a creation or stage change the stage's entry and its playbook
	// (2), and a forward exit the one indexed read of the open steps; an event reads the open activities it may
	// complete (one read per lead, sale or customer named).
	"POST /api/v1/leads":                  5, // BEGIN, the need type (with the directory version: the lead stages, the playbook and the dealer's response policy from the cache), the duplicates, the lead and its first stage's playbook task in one statement (crm.Batch; a new lead has no open task to read), COMMIT
	"POST /api/v1/leads/{id}/test-drives": 4, // BEGIN, the dealer, schedule, lead, customer, car and the open steps waiting for a drive in one read (leads.BookingReader, playbooks.StepsReadAhead), the drive, the car and the notice in one statement (crm.Batch), COMMIT
	"POST /api/v1/leads/{id}/convert":     7, // BEGIN, the lead, its drives, its open steps, the car, the customer, the car's hold, the sale, its playbook tasks and the lead in one statement (crm.Batch; a new sale has no open task to read), COMMIT
	"PATCH /api/v1/sales/{id}":            4,
	"POST /api/v1/sales/{id}/contract":    5, // the contract's joined read (sales.ContractSourcesReader), then BEGIN, the document, the playbook's look at the open steps (the purchase_contract step completed), COMMIT
	"POST /api/v1/sales/{id}/win":         9, // BEGIN, the sale, its order, customer and car (locked), the car's booked drives with their drivers and the customer vehicle known by the VIN in one read (sales.WinReader), the open steps, the documents (the skipped stages' contract step), the open steps closed, the directory's models with the matched model's generations, plan and terms in one read (catalog.ModelRecordsReader), every write in one statement (crm.Batch), COMMIT; then the contract (formed already): its joined read
	// The service side (issue 11): one view of the car in one snapshot.
	"GET /api/v1/customer-vehicles/{id}/overview": 1, // the calendar (its time zone), the car, its readings, visits, warranties, won sales and (without a plan attached) the directory's plan in one statement on the pool (aftersales.OverviewReader)
	"GET /api/v1/sales/{id}/contract.pdf":         1, // the sale, its dealer, customer, car, order and documents in one joined read (sales.ContractSourcesReader)
	// The credit desk (issue 10), on a sale of its own: linking reads the application; the contract reads it too.
	"POST /api/v1/credit-applications":                 7,
	"PATCH /api/v1/sales/{id} credit_application_id":   5,
	"POST /api/v1/credit-applications/{id}/issue":      6,
	"GET /api/v1/credit-applications/{id}/schedule":    1,
	"GET /api/v1/sales/{id}/contract.pdf, with credit": 1,
	// Activities (issue 14): the links and the owner are read in the unit of work that writes.
	"POST /api/v1/activities":                           5,
	"POST /api/v1/activities/{id}/complete":             6, // with the default playbooks, a call completed is a step event: the sale's open steps read
	"GET /api/v1/activities?owner_id&status&due_before": 1,
}

// uncached names the one measured request whose token is not cached yet: authentication's own round trips plus
// a GET of one vehicle.
const uncached = "GET /api/v1/vehicles/{id}, token not cached"

// TestRoundTripBudgets runs each main route once over HTTP on PostgreSQL, warm (the pool open, the token's user
// cached, every route already served once), counts the round trips it makes and fails when a route exceeds its
// budget. Run it with -v to see the counts.
func TestRoundTripBudgets(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	db, trips := pgtest.OpenCounting(t)
	f := newFixtureOn(t, db) // the default authenticator caches tokens (the fixture's clock stands still)
	realDealer(t, f, f.a)
	tok := f.a.token(crm.RoleSalesManager)

	counts := map[string]int{}
	pings := 0
	stmts := map[string][]string{}
	var order []string
	pass := func(n int, record bool) {
		measure := func(name string, status int, q req) *response {
			t.Helper()
			trips.Reset()
			res := f.must(status, q)
			if record {
				if d := trips.Dials(); d > 0 {
					t.Errorf("%s opened %d connection(s): not warm", name, d)
				}
				counts[name] = trips.Count()
				pings += trips.Pings()
				stmts[name] = trips.Statements()
				order = append(order, name)
			}
			return res
		}
		vid := f.createVehicle(f.a, vins[n])
		measure("GET /api/v1/vehicles/{id}", 200, get("/api/v1/vehicles/"+vid, tok))
		if record { // the first request of a token reads the key and its user
			measure(uncached, 200, get("/api/v1/vehicles/"+vid, f.a.token(crm.RoleReadOnly)))
		}
		measure("GET /api/v1/vehicles?limit=20", 200, get("/api/v1/vehicles?limit=20", tok))
		lid := measure("POST /api/v1/leads", 201, post("/api/v1/leads", tok,
			leadBody(fmt.Sprintf("Клиент %d", n), fmt.Sprintf("+7900555%04d", n)))).Str("id")
		measure("GET /api/v1/leads/{id}", 200, get("/api/v1/leads/"+lid, tok))
		start, end := slot(2 * n)
		measure("POST /api/v1/leads/{id}/test-drives", 201, post("/api/v1/leads/"+lid+"/test-drives", tok,
			map[string]any{"vehicle_id": vid, "start": start, "end": end}))
		sale := measure("POST /api/v1/leads/{id}/convert", 201, post("/api/v1/leads/"+lid+"/convert", tok, nil))
		sid := sale.Str("id")
		measure("PATCH /api/v1/sales/{id}", 200, patch("/api/v1/sales/"+sid, tok,
			map[string]any{"probability": 5, "reason": "customer liked the car"}).with("If-Match", sale.Header.Get("ETag")))
		// the playbook's last open stage requires the purchase contract before the win
		measure("POST /api/v1/sales/{id}/contract", 201, post("/api/v1/sales/"+sid+"/contract", tok, nil))
		won := measure("POST /api/v1/sales/{id}/win", 200, post("/api/v1/sales/"+sid+"/win", tok,
			map[string]any{"insurer": "Ингосстрах", "policy_number": fmt.Sprintf("P-%d", n)}))
		cvj := won.JSON()["customer_vehicle"].(map[string]any)
		if cvj["maintenance_plan"] == nil {
			t.Errorf("the won car has no maintenance plan from the directory: %v", cvj)
		}
		cv := cvj["id"].(string)
		measure("GET /api/v1/customer-vehicles/{id}/overview", 200, get("/api/v1/customer-vehicles/"+cv+"/overview", tok))
		measure("GET /api/v1/sales/{id}/contract.pdf", 200, get("/api/v1/sales/"+sid+"/contract.pdf", tok))

		credited := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": sale.Str("customer_id"),
			"vehicle_id": f.createVehicle(f.a, vins[n+2])})).Str("id")
		prog := f.must(201, post("/api/v1/credit-programs", tok, map[string]any{"bank": fmt.Sprintf("Банк %d", n), "name": "Автокредит",
			"annual_rate": "6.9", "min_term_months": 12, "max_term_months": 84, "min_amount": map[string]any{"amount": "100000", "currency": "RUB"},
			"max_amount": map[string]any{"amount": "5000000", "currency": "RUB"}, "valid_from": "2026-01-01"})).Str("id")
		app := measure("POST /api/v1/credit-applications", 201, post("/api/v1/credit-applications", tok, map[string]any{"sale_id": credited,
			"program_id": prog, "down_payment": map[string]any{"amount": "450000", "currency": "RUB"},
			"amount": map[string]any{"amount": "1000000", "currency": "RUB"}, "term_months": 36})).Str("id")
		f.must(200, post("/api/v1/credit-applications/"+app+"/submit", tok, nil))
		f.must(200, post("/api/v1/credit-applications/"+app+"/approve", tok, nil))
		measure("PATCH /api/v1/sales/{id} credit_application_id", 200, patch("/api/v1/sales/"+credited, tok, map[string]any{"credit_application_id": app}))
		measure("POST /api/v1/credit-applications/{id}/issue", 200, post("/api/v1/credit-applications/"+app+"/issue", tok, nil))
		measure("GET /api/v1/credit-applications/{id}/schedule", 200, get("/api/v1/credit-applications/"+app+"/schedule", tok))
		measure("GET /api/v1/sales/{id}/contract.pdf, with credit", 200, get("/api/v1/sales/"+credited+"/contract.pdf", tok))

		act := measure("POST /api/v1/activities", 201, post("/api/v1/activities", tok, map[string]any{"kind": "call",
			"subject": "Перезвонить", "sale_id": credited, "due_at": "2026-11-27T10:00:00.000000Z"})).Str("id")
		measure("GET /api/v1/activities?owner_id&status&due_before", 200, get("/api/v1/activities?owner_id="+
			f.a.users[crm.RoleSalesManager].ID.String()+"&status=open&due_before=2026-11-28T00:00:00Z", tok))
		measure("POST /api/v1/activities/{id}/complete", 200, post("/api/v1/activities/"+act+"/complete", tok,
			map[string]any{"result": "дозвонились", "outcome": "reached"}))
	}
	pass(0, false) // warm: connections, cached token, anything a route remembers
	pass(1, true)

	var table strings.Builder
	for _, name := range order {
		budget, ok := roundTripBudgets[name]
		if !ok {
			t.Errorf("%s has no budget", name)
			continue
		}
		fmt.Fprintf(&table, "| `%s` | %d | %d |\n", name, counts[name], budget)
		if counts[name] == 0 {
			t.Errorf("%s: no round trip counted: the counter is broken", name)
		}
		if counts[name] > budget {
			t.Errorf("%s: %d round trips, budget %d; statements:\n%s", name, counts[name], budget, strings.Join(stmts[name], "\n"))
		}
		if testing.Verbose() {
			t.Logf("%s: %d round trips:\n\t%s", name, counts[name], strings.Join(stmts[name], "\n\t"))
		}
	}
	t.Logf("round trips per route on %s (count, budget); pgx's liveness pings, not counted: %d\n%s", pgtest.Driver(), pings, table.String())
}

// realDealer makes dealer d of f like one stack.AddDealer makes (and the example server's demo dealer): the
// default stage playbooks seeded besides the directories, and the cars the budget test sells (Lada Vesta of
// 2026, vehicleBody) known to the model directory with a generation covering the year, a maintenance plan (the
// generation's) and manufacturer warranty terms (the model's), so the win's directory lookups go all the way.
func realDealer(t *testing.T, f *fixture, d dealerFixture) {
	t.Helper()
	if err := crm.NewUnit[playbooks.Stores](f.db, nil).Update(d.ctx, func(ctx context.Context, st playbooks.Stores) error {
		_, err := playbooks.Seed(ctx, st)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cat := f.h.cfg.Catalog
	mk, err := cat.CreateMake(d.ctx, catalog.Make{Name: "Lada", Country: "Россия"})
	if err != nil {
		t.Fatal(err)
	}
	md, err := cat.CreateModel(d.ctx, catalog.Model{MakeID: mk.ID, Name: "Vesta"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.CreateGeneration(d.ctx, catalog.Generation{ModelID: md.ID, Name: "I", YearFrom: 2015, YearTo: 2022}); err != nil {
		t.Fatal(err)
	}
	gen, err := cat.CreateGeneration(d.ctx, catalog.Generation{ModelID: md.ID, Name: "I рестайлинг", YearFrom: 2023})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.CreateMaintenancePlan(d.ctx, catalog.MaintenancePlan{GenerationID: gen.ID, Name: "Регламент ТО Lada Vesta",
		IntervalKm: 15000, IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{{Name: "ТО-1",
			Works: []catalog.MaintenanceWork{{Name: "Замена масла"}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.CreateWarrantyTerms(d.ctx, catalog.WarrantyTerms{ModelID: md.ID, Months: 36, KmLimit: 100000,
		CoveredSystems: []string{"engine", "transmission"}}); err != nil {
		t.Fatal(err)
	}
}

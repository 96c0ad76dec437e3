package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgxdb"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	salespkg "github.com/dealercrm/dealercrm/sales"
)

// benchDrivers opens one database three ways: lib/pq as postgres.Open opens it (binary_parameters=yes, one
// round trip per statement), lib/pq without binary_parameters (two per statement with parameters), and pgx
// through its database/sql driver (statements prepared and cached per connection).
var benchDrivers = []struct {
	name string
	open func(ctx context.Context, dsn string) (*postgres.DB, error)
}{
	{"pq", func(ctx context.Context, dsn string) (*postgres.DB, error) {
		return postgres.Open(ctx, withParam(dsn, "binary_parameters", "no"))
	}},
	{"pqBinary", postgres.Open},
	{"pgx", pgxdb.Open},
}

func withParam(dsn, k, v string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}

// driverBench is a dealer with a user, a lead and cars, on a fresh database.
type driverBench struct {
	dsn     string
	ctx     context.Context
	dealer  crm.ID
	user    crm.ID
	lead    leads.Lead
	cars    []crm.ID
	clock   *crm.ManualClock
	slotLen time.Duration
}

func newDriverBench(b *testing.B, cars int) *driverBench {
	b.Helper()
	dsn := pgtest.Create(b)
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	st := stack.New(db, clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»", Currency: "RUB"})
	if err != nil {
		b.Fatal(err)
	}
	ctx = crm.WithDealer(ctx, d.ID)
	u, err := st.AddUser(ctx, crm.User{Name: "Мария", Role: crm.RoleSalesManager})
	if err != nil {
		b.Fatal(err)
	}
	ctx = crm.WithActor(ctx, u.ID)
	l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	if err != nil {
		b.Fatal(err)
	}
	e := &driverBench{dsn: dsn, ctx: ctx, dealer: d.ID, user: u.ID, lead: l, clock: clock, slotLen: 30 * time.Minute}
	for i := range cars {
		v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XTA%014d", i+1)),
			Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026})
		if err != nil {
			b.Fatal(err)
		}
		e.cars = append(e.cars, v.ID)
	}
	return e
}

// slot returns the start of booking n: cars in turn, each car's slots one after another, 09:00–21:00 Moscow
// (24 half-hour slots a day), day after day.
func (e *driverBench) slot(n int) (crm.ID, time.Time) {
	car := n % len(e.cars)
	k := n / len(e.cars)
	day, s := k/24, k%24
	start := time.Date(2026, 11, 28+day, 6, 0, 0, 0, time.UTC).Add(time.Duration(s) * e.slotLen) // 09:00 MSK
	return e.cars[car], start
}

// BenchmarkDriverGetVehicle: one vehicle by ID through the adapter (a View of one statement: no transaction),
// on each driver, against the same statement written by hand with database/sql on lib/pq's pool.
func BenchmarkDriverGetVehicle(b *testing.B) {
	e := newDriverBench(b, 1)
	for _, drv := range benchDrivers {
		b.Run(drv.name, func(b *testing.B) {
			db, err := drv.open(e.ctx, e.dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			st := stack.New(db, e.clock)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := st.Catalog.GetVehicle(e.ctx, e.cars[0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("HandWritten", func(b *testing.B) {
		db, err := sql.Open("postgres", postgres.WithBinaryParameters(e.dsn))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			var v struct {
				id, dealer                crm.ID
				version                   int64
				vin, make, model, trim    string
				year                      int
				status                    string
				listPrice, cost, discount sql.NullString
				card, reservations, specs []byte
				createdAt, updatedAt      time.Time
			}
			if err := db.QueryRowContext(e.ctx, `SELECT id, dealer_id, version, created_at, updated_at, vin, make, model,
				trim_level, year, status, list_price, cost, discount, card, reservations, specs FROM vehicles
				WHERE dealer_id = $1 AND id = $2`, e.dealer, e.cars[0]).Scan(&v.id, &v.dealer, &v.version, &v.createdAt,
				&v.updatedAt, &v.vin, &v.make, &v.model, &v.trim, &v.year, &v.status, &v.listPrice, &v.cost, &v.discount,
				&v.card, &v.reservations, &v.specs); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDriverBookTestDrive: booking a test drive through the service (the rule whole: the lead, the car and
// its reservation, the drive under the exclusion constraint, the notice, the playbook), cars in turn, on each
// driver, against the minimal SQL for the same writes by hand (lib/pq with binary_parameters): BEGIN, the lead,
// the car FOR UPDATE, the drive, the car's reservation, the notice, COMMIT. The clock follows the bookings, so
// each car's earlier holds have expired when it is booked again (as in a day of a dealer's work): the cost does
// not grow with the run.
func BenchmarkDriverBookTestDrive(b *testing.B) {
	const cars = 50
	e := newDriverBench(b, cars)
	n := 0
	for _, drv := range benchDrivers {
		b.Run(drv.name, func(b *testing.B) {
			db, err := drv.open(e.ctx, e.dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			st := stack.New(db, e.clock)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				car, start := e.slot(n)
				n++
				e.clock.Set(start.Add(-time.Hour)) // the car's earlier holds have expired: its card stays small
				if _, err := st.Leads.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: e.lead.ID, VehicleID: car,
					Start: start}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("HandWritten", func(b *testing.B) {
		db, err := sql.Open("postgres", postgres.WithBinaryParameters(e.dsn))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.SetMaxIdleConns(4)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			car, start := e.slot(n)
			n++
			e.clock.Set(start.Add(-time.Hour))
			if err := bookByHand(e, db, car, start); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func bookByHand(e *driverBench, db *sql.DB, car crm.ID, start time.Time) error {
	ctx := e.ctx
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var stage string
	var customer sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT stage, customer_id FROM leads WHERE id = $1 AND dealer_id = $2`,
		e.lead.ID, e.dealer).Scan(&stage, &customer); err != nil {
		return err
	}
	var status string
	var reservations []byte // the exclusive (sale) holds: the test-drive holds are rows of vehicle_holds (093)
	if err := tx.QueryRowContext(ctx, `SELECT status, reservations FROM vehicles WHERE id = $1 AND dealer_id = $2 FOR UPDATE`,
		car, e.dealer).Scan(&status, &reservations); err != nil {
		return err
	}
	id, now, end := crm.NewID(), e.clock.Now(), start.Add(e.slotLen)
	if _, err := tx.ExecContext(ctx, `INSERT INTO test_drives (id, dealer_id, version, created_at, updated_at, lead_id,
		vehicle_id, start_at, end_at, status, booked_by) VALUES ($1, $2, 1, $3, $3, $4, $5, $6, $7, 'booked', $8)`,
		id, e.dealer, now, e.lead.ID, car, start, end, e.user); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE vehicles SET version = version + 1, updated_at = $3, status = 'reserved'
		WHERE id = $1 AND dealer_id = $2`, car, e.dealer, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO vehicle_holds (dealer_id, vehicle_id, ref_id, purpose, lead_id,
		from_at, until_at, created_at) VALUES ($1, $2, $3, 'test_drive', $4, $5, $6, $7)`,
		e.dealer, car, id, e.lead.ID, start, end, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, dealer_id, topic, recipient, subject, body, created_at,
		next_attempt_at) VALUES ($1, $2, 'test_drive.booked', $3, 'Тест-драйв', 'Ждём вас', $4, $4)`,
		crm.NewID(), e.dealer, "+79161234567", now); err != nil {
		return err
	}
	return tx.Commit()
}

// BenchmarkDriverWinSale wins a sale through sales.Service.WinSale (stack.New): the sale, its order, customer and
// car read, the car sold, its booked drives cancelled, the customer vehicle recorded, the sale and the notices
// written (one batch) — the unit of work of POST /win without the contract. Each iteration wins a sale of its own
// car, prepared before the timer starts (a pprof of it is read with -focus WinSale).
func BenchmarkDriverWinSale(b *testing.B) {
	e := newDriverBench(b, 0)
	seq := 0                               // b.Run runs a function more than once: every car needs a VIN of its own
	for _, drv := range benchDrivers[1:] { // pqBinary and pgx
		b.Run(drv.name, func(b *testing.B) {
			db, err := drv.open(e.ctx, e.dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			st := stack.New(db, e.clock)
			b.StopTimer()
			sales := make([]crm.ID, b.N)
			for i := range sales {
				seq++
				c, err := st.Customers.CreateCustomer(e.ctx, crm.Customer{Contact: crm.Contact{Kind: crm.Person,
					FirstName: "Иван", LastName: "Петров", Phones: []string{fmt.Sprintf("+7916%07d", seq)}}})
				if err != nil {
					b.Fatal(err)
				}
				v, err := st.Catalog.CreateVehicle(e.ctx, catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XWB%014d", seq)),
					Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026,
					Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB")}})
				if err != nil {
					b.Fatal(err)
				}
				s, err := st.Sales.OpenSale(e.ctx, salespkg.OpenSaleInput{CustomerID: c.ID, VehicleID: v.ID})
				if err != nil {
					b.Fatal(err)
				}
				sales[i] = s.ID
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.StartTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := st.Sales.WinSale(e.ctx, sales[i], 0, salespkg.WinInput{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

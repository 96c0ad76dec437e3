package postgres_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/lib/pq"
	"github.com/shopspring/decimal"
)

// benchVehicles is how many vehicles the catalog benchmarks seed for one dealer.
const benchVehicles = 100_000

// benchDealer owns the seeded vehicles.
var benchDealer = uuid.MustParse("00000000-0000-4000-8000-0000000000be")

// catalogBench is the seeded database, opened once per test binary and only when a catalog benchmark runs.
//
// The database, dealercrm_bench_<migrations digest>, is kept on the test server between runs (like pgtest's
// templates): seeding 100,000 rows and their indexes takes seconds, and it is reused while the schema is the same.
// Databases of older schemas are dropped when a new one is made.
var catalogBench struct {
	once sync.Once
	db   *postgres.DB
	err  error
}

func openCatalogBench(b *testing.B) *postgres.DB {
	b.Helper()
	catalogBench.once.Do(func() {
		start := time.Now()
		catalogBench.db, catalogBench.err = seedCatalogBench(b)
		b.Logf("catalog benchmark database ready in %v", time.Since(start))
	})
	if catalogBench.err != nil {
		b.Fatal(catalogBench.err)
	}
	return catalogBench.db
}

func seedCatalogBench(b *testing.B) (*postgres.DB, error) {
	ctx := context.Background()
	admin := pgtest.Admin(b) // skips without PostgreSQL (fails in CI)
	defer admin.Close()
	name := "dealercrm_bench_" + postgres.MigrationsDigest()
	var old []string
	if err := admin.SelectContext(ctx, &old, `SELECT datname FROM pg_database WHERE datname LIKE 'dealercrm\_bench\_%' AND datname <> $1`, name); err != nil {
		return nil, err
	}
	// Databases seeded for other migration sets (other branches' checkouts) are dropped only when nobody uses
	// them: without FORCE, a drop refuses a database another process is connected to (SQLSTATE 55006), so a
	// benchmark running on another branch at the same time keeps its database.
	for _, o := range old {
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+o); err != nil {
			var pe *pq.Error
			if errors.As(err, &pe) && pe.Code == "55006" {
				b.Logf("kept %s: in use by another process", o)
				continue
			}
			return nil, err
		}
	}
	var exists bool
	if err := admin.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name); err != nil {
		return nil, err
	}
	if !exists {
		if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
			return nil, err
		}
	}
	u, err := url.Parse(pgtest.URL())
	if err != nil {
		return nil, err
	}
	u.Path = "/" + name
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	var n int
	if err := db.SQLX().GetContext(ctx, &n, `SELECT count(*) FROM vehicles WHERE dealer_id = $1`, benchDealer); err != nil {
		return nil, err
	}
	if n == benchVehicles {
		return db, nil
	}
	if err := copyVehicles(ctx, db.SQLX().DB); err != nil {
		return nil, err
	}
	return db, nil
}

// copyVehicles (re)loads the seeded vehicles with COPY in one transaction, then analyses the table.
func copyVehicles(ctx context.Context, x *sql.DB) error {
	d, err := crm.NewDealer(crm.Dealer{Name: "Bench", LegalName: "Bench LLC"}, time.Now())
	if err != nil {
		return err
	}
	tx, err := x.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM vehicles WHERE dealer_id = $1`, benchDealer); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO dealers (id, dealer_id, version, created_at, updated_at, name, legal_name,
		currency, doc) VALUES ($1, $1, 1, now(), now(), $2, $3, 'RUB', '{}') ON CONFLICT (id) DO NOTHING`, benchDealer, d.Name, d.LegalName); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `COPY vehicles (id, dealer_id, version, created_at, updated_at, vin, make,
		model, trim_level, year, condition, status, mileage, stock_number, location, currency, list_price, cost,
		discount, market_value, vat_rate, card, insurance, specs, reservations) FROM STDIN`)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range benchVehicles {
		v := benchVehicle(rng, i, epoch)
		specs, _ := json.Marshal(v.Specs)
		res, _ := json.Marshal(v.Reservations)
		if v.Reservations == nil {
			res = []byte("[]")
		}
		f := v.Finance
		if _, err := stmt.ExecContext(ctx, v.ID, v.DealerID, 1, v.CreatedAt, v.UpdatedAt, string(v.VIN), v.Make, v.Model,
			v.Trim, v.Year, string(v.Condition), string(v.Status), v.Mileage, "", v.Location, "RUB",
			f.ListPrice.Amount.String(), "0", "0", "0", f.VATRate.String(), "{}", "{}", string(specs), string(res)); err != nil {
			return err
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return err
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = x.ExecContext(ctx, `VACUUM ANALYZE vehicles`)
	return err
}

// benchVehicle returns the i-th seeded vehicle: 10 makes × 5 models, statuses 70 % in stock, prices from 500,000 to
// 5,000,000, model years 2010–2026 (the memory adapter's benchmark seeds the same shape).
func benchVehicle(rng *rand.Rand, i int, epoch time.Time) catalog.Vehicle {
	makes := []string{"Lada", "Kia", "Hyundai", "Toyota", "Škoda", "Haval", "Chery", "Geely", "Renault", "Москвич"}
	statuses := []catalog.Status{catalog.StatusInStock, catalog.StatusInStock, catalog.StatusInStock, catalog.StatusInStock,
		catalog.StatusInStock, catalog.StatusInStock, catalog.StatusInStock, catalog.StatusInTransit, catalog.StatusReserved,
		catalog.StatusUnavailable}
	var id crm.ID
	for j := range id {
		id[j] = byte(rng.Uint32())
	}
	id[6], id[8] = id[6]&0x0f|0x40, id[8]&0x3f|0x80
	m := rng.IntN(len(makes))
	v := catalog.Vehicle{
		Meta: crm.Meta{ID: id, DealerID: benchDealer, CreatedAt: epoch.Add(time.Duration(i) * time.Second)},
		VIN:  catalog.VIN(fmt.Sprintf("XTA%014d", i)), Make: makes[m], Model: fmt.Sprintf("Model %d", rng.IntN(5)),
		Trim: []string{"Base", "Comfort", "Luxe"}[rng.IntN(3)], Year: 2010 + rng.IntN(17), Condition: catalog.New,
		Status: statuses[rng.IntN(len(statuses))], Location: "Площадка 1", Mileage: rng.IntN(100_000),
	}
	v.UpdatedAt = v.CreatedAt
	v.Finance = catalog.VehicleFinance{ListPrice: crm.NewMoney(decimal.New(int64(500+rng.IntN(4500))*1000, 0), "RUB"),
		VATRate: decimal.RequireFromString("0.2")}
	v.Specs = catalog.VehicleSpecs{EngineType: "petrol I4", DisplacementCC: 1600, PowerHP: decimal.NewFromInt(106), Seats: 5, Doors: 4}
	if v.Status == catalog.StatusReserved {
		v.Reservations = []catalog.Reservation{{Purpose: catalog.ForTestDrive, RefID: id, Holder: catalog.Holder{LeadID: id},
			CreatedAt: v.CreatedAt}}
	}
	return v
}

// The hand-written baseline: the same columns, scanned with plain database/sql into the same type.
const handCols = `id, dealer_id, version, created_at, updated_at, vin, make, model, trim_level, year, condition,
	status, mileage, stock_number, location, currency, list_price, cost, discount, market_value, vat_rate, sold_at,
	sale_id, card, insurance, specs, reservations`

func handScan(row interface{ Scan(...any) error }) (catalog.Vehicle, error) {
	var (
		v                                  catalog.Vehicle
		vin, cond, status, cur             string
		list, cost, disc, market           decimal.Decimal
		soldAt                             sql.NullTime
		saleID                             uuid.NullUUID
		card, insurance, specs, reservedJS []byte
	)
	if err := row.Scan(&v.ID, &v.DealerID, &v.Version, &v.CreatedAt, &v.UpdatedAt, &vin, &v.Make, &v.Model, &v.Trim,
		&v.Year, &cond, &status, &v.Mileage, &v.StockNumber, &v.Location, &cur, &list, &cost, &disc, &market,
		&v.Finance.VATRate, &soldAt, &saleID, &card, &insurance, &specs, &reservedJS); err != nil {
		return v, err
	}
	var c struct {
		Generation    string    `json:"generation"`
		ModelCode     string    `json:"model_code"`
		Body          string    `json:"body"`
		Color         string    `json:"color"`
		InteriorColor string    `json:"interior_color"`
		EngineNumber  string    `json:"engine_number"`
		RegNumber     string    `json:"reg_number"`
		ArrivedAt     time.Time `json:"arrived_at"`
		Demo          bool      `json:"demo"`
	}
	for _, j := range []struct {
		b []byte
		v any
	}{{card, &c}, {insurance, &v.Insurance}, {specs, &v.Specs}, {reservedJS, &v.Reservations}} {
		if err := json.Unmarshal(j.b, j.v); err != nil {
			return v, err
		}
	}
	v.VIN, v.Condition, v.Status = catalog.VIN(vin), catalog.Condition(cond), catalog.Status(status)
	cc := crm.Currency(cur)
	v.Finance.ListPrice, v.Finance.Cost = crm.NewMoney(list, cc), crm.NewMoney(cost, cc)
	v.Finance.Discount, v.Finance.MarketValue = crm.NewMoney(disc, cc), crm.NewMoney(market, cc)
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	if soldAt.Valid {
		v.SoldAt = soldAt.Time.UTC()
	}
	v.SaleID = saleID.UUID
	v.Generation, v.ModelCode, v.Body, v.Color = c.Generation, c.ModelCode, c.Body, c.Color
	v.InteriorColor, v.EngineNumber, v.RegNumber, v.ArrivedAt, v.Demo = c.InteriorColor, c.EngineNumber, c.RegNumber, c.ArrivedAt, c.Demo
	if len(v.Reservations) == 0 {
		v.Reservations = nil
	}
	return v, nil
}

// handQuery is the keyset page written by hand: the same filters, order and limit as the adapter's statement.
const handQuery = `SELECT ` + handCols + ` FROM vehicles WHERE dealer_id = $1 AND status = ANY($2) AND lower(make) = $3
	AND lower(model) = $4 AND list_price >= $5 AND list_price <= $6 AND (created_at, id) > ($7, $8::uuid)
	ORDER BY created_at, id LIMIT $9`

// runHand runs query in a read-only transaction (what a View unit is) or, without tx, straight on the pool.
func runHand(ctx context.Context, x *sql.DB, tx bool, query string, args ...any) ([]catalog.Vehicle, error) {
	var q interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	} = x
	var t *sql.Tx
	if tx {
		var err error
		if t, err = x.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted, ReadOnly: true}); err != nil {
			return nil, err
		}
		defer t.Rollback()
		q = t
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []catalog.Vehicle
	for rows.Next() {
		v, err := handScan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if t != nil {
		return out, t.Commit()
	}
	return out, nil
}

// BenchmarkCatalogKeysetPage reads the third 50-row page of vehicles filtered by status (two of them), make, model
// and a price range, ordered by creation: through the adapter (VehicleStore.Search in a View unit) and by hand
// with database/sql (in a read-only transaction like the unit's, and without one).
func BenchmarkCatalogKeysetPage(b *testing.B) {
	db := openCatalogBench(b)
	ctx := crm.WithDealer(context.Background(), benchDealer)
	unit := crm.NewUnit[catalog.Stores](db, nil)
	from, to := decimal.NewFromInt(1_000_000), decimal.NewFromInt(3_000_000)
	q := catalog.VehicleQuery{Status: []catalog.Status{catalog.StatusInStock, catalog.StatusReserved}, Make: "Kia",
		Model: "Model 2", PriceFrom: &from, PriceTo: &to, Limit: 50}
	search := func(q catalog.VehicleQuery) (page catalog.VehiclePage, err error) {
		err = unit.View(ctx, func(ctx context.Context, s catalog.Stores) (err error) {
			page, err = s.Vehicles().Search(ctx, q)
			return err
		})
		return page, err
	}
	var last catalog.Vehicle
	for range 2 {
		page, err := search(q)
		if err != nil || page.NextCursor == "" {
			b.Fatalf("setup: %v (%d rows)", err, len(page.Items))
		}
		q.Cursor, last = page.NextCursor, page.Items[len(page.Items)-1]
	}
	want, err := search(q)
	if err != nil || len(want.Items) != 50 {
		b.Fatalf("setup: %v (%d rows)", err, len(want.Items))
	}
	args := []any{benchDealer, pq.StringArray{"in_stock", "reserved"}, "kia", "model 2", from, to, last.CreatedAt, last.ID, 51}
	hand, err := runHand(ctx, db.SQLX().DB, true, handQuery, args...)
	if err != nil || len(hand) != 51 || hand[0].ID != want.Items[0].ID || hand[49].ID != want.Items[49].ID {
		b.Fatalf("the hand-written query disagrees with the adapter: %v", err)
	}
	b.Run("Adapter", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if page, err := search(q); err != nil || len(page.Items) != 50 {
				b.Fatal(err)
			}
		}
	})
	for _, c := range []struct {
		name string
		tx   bool
	}{{"HandWritten", true}, {"HandWrittenNoTx", false}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if rows, err := runHand(ctx, db.SQLX().DB, c.tx, handQuery, args...); err != nil || len(rows) != 51 {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCatalogGetByID reads one vehicle by ID among 100,000: through the adapter (VehicleStore.Get in a View
// unit) and by hand with database/sql (in a read-only transaction, and without one).
func BenchmarkCatalogGetByID(b *testing.B) {
	db := openCatalogBench(b)
	ctx := crm.WithDealer(context.Background(), benchDealer)
	unit := crm.NewUnit[catalog.Stores](db, nil)
	var ids []crm.ID
	if err := db.SQLX().SelectContext(ctx, &ids, `SELECT id FROM vehicles WHERE dealer_id = $1 ORDER BY id LIMIT 10000`, benchDealer); err != nil || len(ids) == 0 {
		b.Fatalf("setup: %v", err)
	}
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	query := `SELECT ` + handCols + ` FROM vehicles WHERE dealer_id = $1 AND id = $2`
	b.Run("Adapter", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			err := unit.View(ctx, func(ctx context.Context, s catalog.Stores) error {
				_, err := s.Vehicles().Get(ctx, ids[i%len(ids)])
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	for _, c := range []struct {
		name string
		tx   bool
	}{{"HandWritten", true}, {"HandWrittenNoTx", false}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if rows, err := runHand(ctx, db.SQLX().DB, c.tx, query, benchDealer, ids[i%len(ids)]); err != nil || len(rows) != 1 {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkCatalogTextSearch is catalog free-text search among 100,000 cars, first page of 20: a VIN fragment
// and a rare make (selective: the trigram index), and a common word (many hits: the page index). Each reports its
// 99th percentile as p99-ms beside the mean.
func BenchmarkCatalogTextSearch(b *testing.B) {
	db := openCatalogBench(b)
	ctx := crm.WithDealer(context.Background(), benchDealer)
	unit := crm.NewUnit[catalog.Stores](db, nil)
	for _, c := range []struct{ name, text string }{
		{"VINFragment", "0000000042"}, {"RareWord", "москвич model 3 luxe"}, {"CommonWord", "comfort"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				err := unit.View(ctx, func(ctx context.Context, s catalog.Stores) error {
					_, err := s.Vehicles().Search(ctx, catalog.VehicleQuery{Text: c.text, Limit: 20})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100])/1e6, "p99-ms")
		})
	}
}

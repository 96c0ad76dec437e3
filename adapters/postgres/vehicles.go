package postgres

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/lib/pq"
	"github.com/shopspring/decimal"
)

type vehicleStore struct{ t *Tx }

// Vehicles returns the vehicle store of this unit of work.
func (t *Tx) Vehicles() catalog.VehicleStore { return vehicleStore{t} }

// vehicleCols are the columns of a vehicle in the order scanVehicle reads them. search_text is generated.
const vehicleCols = `id, dealer_id, version, created_at, updated_at, vin, make, model, trim_level, year, condition,
	status, mileage, stock_number, location, currency, list_price, cost, discount, market_value, vat_rate, sold_at,
	sale_id, card, insurance, specs, reservations, external_id, configuration_id, option_codes, build`

// vehicleCard is the part of the identity and stock data kept in the card jsonb column.
type vehicleCard struct {
	Generation    string    `json:"generation,omitempty"`
	ModelCode     string    `json:"model_code,omitempty"`
	Body          string    `json:"body,omitempty"`
	Color         string    `json:"color,omitempty"`
	InteriorColor string    `json:"interior_color,omitempty"`
	EngineNumber  string    `json:"engine_number,omitempty"`
	RegNumber     string    `json:"reg_number,omitempty"`
	ArrivedAt     time.Time `json:"arrived_at,omitzero"`
	Demo          bool      `json:"demo,omitempty"`
	Dealer        dealerTab `json:"dealer"`
}

// dealerTab is a card's dealer tab as stored.
type dealerTab struct {
	Branch          string    `json:"branch,omitempty"`
	ManagerID       uuid.UUID `json:"manager_id,omitzero"`
	Supplier        string    `json:"supplier,omitempty"`
	ArrivalDocument string    `json:"arrival_doc,omitempty"`
}

func cardOf(v *catalog.Vehicle) vehicleCard {
	return vehicleCard{Generation: v.Generation, ModelCode: v.ModelCode, Body: v.Body, Color: v.Color,
		InteriorColor: v.InteriorColor, EngineNumber: v.EngineNumber, RegNumber: v.RegNumber, ArrivedAt: v.ArrivedAt,
		Demo: v.Demo, Dealer: dealerTab{Branch: v.DealerTab.Branch, ManagerID: v.DealerTab.ManagerID,
			Supplier: v.DealerTab.Supplier, ArrivalDocument: v.DealerTab.ArrivalDocument}}
}

// scanVehicle reads the columns of vehicleCols: the vehicle with its exclusive holds only (SaleHoldsOnly).
func scanVehicle(row interface{ Scan(...any) error }) (catalog.Vehicle, error) {
	return scanVehicleWith(row)
}

// scanVehicleFull reads the columns of vehicleFullCols: the vehicle with every hold.
func scanVehicleFull(row interface{ Scan(...any) error }) (catalog.Vehicle, error) {
	var shared []reservationDoc
	v, err := scanVehicleWith(row, jsonb{&shared})
	if err != nil {
		return catalog.Vehicle{}, err
	}
	return withHolds(v, shared), nil
}

// scanVehicleWith reads the columns of vehicleCols, then into more the columns that follow them.
func scanVehicleWith(row interface{ Scan(...any) error }, more ...any) (catalog.Vehicle, error) {
	var (
		v                     catalog.Vehicle
		vin, cond, status     string
		cur                   string
		listPrice, cost, disc decimal.Decimal
		market                decimal.Decimal
		soldAt                sql.NullTime
		saleID                uuid.NullUUID
		card                  vehicleCard
		insurance             insuranceDoc
		specs                 specsDoc
		reservations          []reservationDoc
		configurationID       uuid.NullUUID
		optionCodes           pq.StringArray
		build                 vehicleBuildDoc
	)
	err := row.Scan(append([]any{&v.ID, &v.DealerID, &v.Version, &v.CreatedAt, &v.UpdatedAt, &vin, &v.Make, &v.Model, &v.Trim,
		&v.Year, &cond, &status, &v.Mileage, &v.StockNumber, &v.Location, &cur, &listPrice, &cost, &disc, &market,
		&v.Finance.VATRate, &soldAt, &saleID, jsonb{&card}, jsonb{&insurance}, jsonb{&specs}, jsonb{&reservations}, &v.ExternalID,
		&configurationID, &optionCodes, jsonb{&build}}, more...)...)
	if err != nil {
		return catalog.Vehicle{}, err
	}
	v.VIN, v.Condition, v.Status = catalog.VIN(vin), catalog.Condition(cond), catalog.Status(status)
	c := crm.Currency(cur)
	v.Finance.ListPrice, v.Finance.Cost = crm.NewMoney(listPrice, c), crm.NewMoney(cost, c)
	v.Finance.Discount, v.Finance.MarketValue = crm.NewMoney(disc, c), crm.NewMoney(market, c)
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	if soldAt.Valid {
		v.SoldAt = soldAt.Time.UTC()
	}
	if saleID.Valid {
		v.SaleID = saleID.UUID
	}
	v.Generation, v.ModelCode, v.Body, v.Color = card.Generation, card.ModelCode, card.Body, card.Color
	v.InteriorColor, v.EngineNumber, v.RegNumber = card.InteriorColor, card.EngineNumber, card.RegNumber
	v.ArrivedAt, v.Demo = card.ArrivedAt, card.Demo
	v.DealerTab = catalog.VehicleDealerTab{Branch: card.Dealer.Branch, ManagerID: card.Dealer.ManagerID,
		Supplier: card.Dealer.Supplier, ArrivalDocument: card.Dealer.ArrivalDocument}
	v.Insurance, v.Specs, v.Reservations = insurance.value(), specs.value(), reservationsOf(reservations)
	v.Build = build.value(c) // configuration_id and option_codes repeat it for the search filters
	v.SaleHoldsOnly = true   // the row keeps the exclusive holds; vehicle_holds the shared ones
	return v, nil
}

// vehicleArgs are the values of every column but id, dealer_id, version and created_at, as $5… in vehicleCols'
// order (updated_at first).
func vehicleArgs(v *catalog.Vehicle) []any {
	f := v.Finance
	var soldAt sql.NullTime
	if !v.SoldAt.IsZero() {
		soldAt = sql.NullTime{Time: v.SoldAt, Valid: true}
	}
	saleID := uuid.NullUUID{UUID: v.SaleID, Valid: v.SaleID != (crm.ID{})}
	return []any{v.UpdatedAt, string(v.VIN), v.Make, v.Model, v.Trim, v.Year, string(v.Condition), string(v.Status),
		v.Mileage, v.StockNumber, v.Location, string(f.ListPrice.Currency), f.ListPrice.Amount, f.Cost.Amount,
		f.Discount.Amount, f.MarketValue.Amount, f.VATRate, soldAt, saleID, jsonb{cardOf(v)},
		jsonb{insuranceDocOf(v.Insurance)}, jsonb{specsDocOf(v.Specs)}, jsonb{reservationDocsOf(catalog.ExclusiveHolds(v.Reservations))},
		v.ExternalID, nullID(v.Build.ConfigurationID), buildOptions(v.Build), buildDoc(v.Build)}
}

// buildOptions and buildDoc are the option_codes and build columns: NULL for a card without a build.
func buildOptions(b catalog.VehicleBuild) any {
	if b.IsZero() {
		return nil
	}
	return pq.StringArray(nonNil(b.AllOptions))
}

func buildDoc(b catalog.VehicleBuild) any {
	if b.IsZero() {
		return nil
	}
	return jsonb{vehicleBuildDocOf(b)}
}

// Get implements catalog.VehicleStore.Get (see there for the error kinds).
func (s vehicleStore) Get(ctx context.Context, id crm.ID) (catalog.Vehicle, error) {
	return s.getBy(ctx, "postgres.Vehicles.Get", "id = $2", id, vehicleHoldsCol)
}

// GetForReserve implements catalog.VehicleStore.GetForReserve (see there for the error kinds): the row alone.
func (s vehicleStore) GetForReserve(ctx context.Context, id crm.ID) (catalog.Vehicle, error) {
	return s.getBy(ctx, "postgres.Vehicles.GetForReserve", "id = $2", id, "")
}

// GetForExpiry implements catalog.VehicleStore.GetForExpiry (see there for the error kinds): the row, its ended
// holds and the one ending last (vehicleEndedHoldsCol).
func (s vehicleStore) GetForExpiry(ctx context.Context, id crm.ID, now time.Time) (catalog.Vehicle, error) {
	v, err := s.getBy(ctx, "postgres.Vehicles.GetForExpiry", "id = $2", id, vehicleEndedHoldsCol, now.UTC())
	v.SaleHoldsOnly = true // it carries some of the shared holds only
	return v, err
}

// ListHeldPastEnd implements catalog.VehicleStore.ListHeldPastEnd (heldPastEndSQL).
func (s vehicleStore) ListHeldPastEnd(ctx context.Context, now time.Time, after crm.ID, limit int) ([]crm.ID, error) {
	const op = "postgres.Vehicles.ListHeldPastEnd"
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryContext(ctx, heldPastEndSQL, d, now.UTC(), after, limit)
	return collectRows(rows, err, op, func(row interface{ Scan(...any) error }) (id crm.ID, err error) {
		return id, row.Scan(&id)
	})
}

// GetByVIN implements catalog.VehicleStore.GetByVIN (see there for the error kinds).
func (s vehicleStore) GetByVIN(ctx context.Context, vin catalog.VIN) (catalog.Vehicle, error) {
	if vin == "" {
		return catalog.Vehicle{}, crm.NotFound("postgres.Vehicles.GetByVIN", "vehicle with VIN %q not found", vin)
	}
	return s.getBy(ctx, "postgres.Vehicles.GetByVIN", "vin = $2", string(vin), vehicleHoldsCol)
}

// getBy reads the vehicle where the condition holds, with the shared holds the column holds selects (a
// subquery over vehicle_holds: vehicleHoldsCol for every hold; "" for none), whose further parameters are args
// ($3…).
//
// In a read-write unit the row is locked (FOR UPDATE). A row that another transaction changed while this one
// waited for its lock is read as that transaction left it, but the statement's other reads (the shared holds)
// still see the snapshot taken before the wait; every change of a hold bumps the row's version, so a read with
// holds also returns the version its snapshot saw, and is sent again, now holding the lock, when the two differ.
func (s vehicleStore) getBy(ctx context.Context, op, where string, key any, holds string, args ...any) (catalog.Vehicle, error) {
	d, err := dealer(ctx)
	if err != nil {
		return catalog.Vehicle{}, err
	}
	params := append([]any{d, key}, args...)
	var v catalog.Vehicle
	switch {
	case holds == "":
		v, err = scanVehicle(s.t.tx.QueryRowContext(ctx,
			`SELECT `+vehicleCols+` FROM vehicles WHERE dealer_id = $1 AND `+where+s.t.lock(), params...))
	case !s.t.writable:
		var shared []reservationDoc
		v, err = scanVehicleWith(s.t.tx.QueryRowContext(ctx,
			`SELECT `+vehicleCols+`, `+holds+` FROM vehicles WHERE dealer_id = $1 AND `+where, params...), jsonb{&shared})
		v = withHolds(v, shared)
	default:
		var seen int64
		var shared []reservationDoc
		for try := 0; try < 2 && (try == 0 || err == nil && seen != v.Version); try++ {
			shared = nil
			v, err = scanVehicleWith(s.t.tx.QueryRowContext(ctx, `SELECT `+vehicleCols+`, `+holds+`,
				(SELECT version FROM vehicles s WHERE s.id = vehicles.id) FROM vehicles
				WHERE dealer_id = $1 AND `+where+` FOR UPDATE`, params...), jsonb{&shared}, &seen)
		}
		v = withHolds(v, shared)
	}
	if isNoRows(err) {
		return catalog.Vehicle{}, crm.NotFound(op, "vehicle %v not found", key)
	}
	return v, mapErr(op, err)
}

// Create implements catalog.VehicleStore.Create (see there for the error kinds).
func (s vehicleStore) Create(ctx context.Context, v *catalog.Vehicle) error {
	const op = "postgres.Vehicles.Create"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	// The table keeps one currency per card, so an amount in another currency cannot be refused by a CHECK: it
	// would be stored as if it were in the list price's currency.
	if err := v.Invariants(); err != nil {
		return err
	}
	if err := s.t.claim(&v.Meta, d, op); err != nil {
		return err
	}
	args := append([]any{v.ID, v.DealerID, v.CreatedAt}, vehicleArgs(v)...)
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO vehicles (`+vehicleCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8,
		$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)`, args...)
	if err := created(&v.Meta, mapVehicleErr(op, err)); err != nil {
		return err
	}
	if len(catalog.ExclusiveHolds(v.Reservations)) == len(v.Reservations) {
		return nil // a new card has no holds (catalog.NewVehicle)
	}
	return s.t.Batch(ctx, func(ctx context.Context) error { return s.t.writeHolds(ctx, d, v) })
}

// Update implements catalog.VehicleStore.Update (see there for the error kinds).
func (s vehicleStore) Update(ctx context.Context, v *catalog.Vehicle) error {
	return s.save(ctx, "postgres.Vehicles.Update", v, false)
}

// UpdateHolds implements catalog.HoldsUpdater: Update's version check, errors, holds and version bump, with the
// row's status, exclusive holds and updated_at written and its other columns left as stored, so that a booking's
// hold does not encode, send, parse and check the car's card, specs and build again (vehicleHoldsUpdateSQL).
func (s vehicleStore) UpdateHolds(ctx context.Context, v *catalog.Vehicle) error {
	return s.save(ctx, "postgres.Vehicles.UpdateHolds", v, true)
}

// save is Update, or UpdateHolds when holdsOnly.
func (s vehicleStore) save(ctx context.Context, op string, v *catalog.Vehicle, holdsOnly bool) error {
	v.UpdatedAt = s.t.now
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := v.Invariants(); err != nil { // as in Create
		return err
	}
	query, args := vehicleUpdateSQL, append([]any{v.ID, d, v.Version}, vehicleArgs(v)...)
	if holdsOnly {
		query, args = vehicleHoldsUpdateSQL, []any{v.ID, d, v.Version, v.UpdatedAt, string(v.Status),
			jsonb{reservationDocsOf(catalog.ExclusiveHolds(v.Reservations))}}
	}
	// The row and its shared holds: one statement (a batch of its own unless the unit's batch holds them). A
	// batch sets the version when the write is held; a refused write leaves the caller's alone.
	version := v.Version
	err = s.t.Batch(ctx, func(ctx context.Context) error {
		if err := s.write(ctx, op, d, v, query, args); err != nil {
			return err
		}
		return s.t.writeHolds(ctx, d, v)
	})
	if err != nil {
		v.Version = version
	}
	return err
}

// vehicleUpdateSQL is Update's statement: every column but id, dealer_id and created_at ($1–$3 the ID, dealer
// and version read, then vehicleArgs).
const vehicleUpdateSQL = `UPDATE vehicles SET version = version + 1, updated_at = $4, vin = $5,
		make = $6, model = $7, trim_level = $8, year = $9, condition = $10, status = $11, mileage = $12,
		stock_number = $13, location = $14, currency = $15, list_price = $16, cost = $17, discount = $18,
		market_value = $19, vat_rate = $20, sold_at = $21, sale_id = $22, card = $23, insurance = $24, specs = $25,
		reservations = $26, external_id = $27, configuration_id = $28, option_codes = $29, build = $30
		WHERE id = $1 AND dealer_id = $2 AND version = $3`

// vehicleHoldsUpdateSQL is UpdateHolds' statement: what adding or ending a hold changes in the row.
const vehicleHoldsUpdateSQL = `UPDATE vehicles SET version = version + 1, updated_at = $4, status = $5,
		reservations = $6 WHERE id = $1 AND dealer_id = $2 AND version = $3`

// write sends the UPDATE of v's row.
func (s vehicleStore) write(ctx context.Context, op string, d crm.ID, v *catalog.Vehicle, query string, args []any) error {
	return s.t.write(ctx, "vehicles", query, args, func(res sql.Result, err error) error {
		if err := s.t.updated(ctx, op, "vehicles", v.ID, d, res, mapVehicleErr(op, err)); err != nil {
			return err
		}
		v.Version++
		return nil
	})
}

// mapVehicleErr maps a write error, naming the VIN in a duplicate-VIN conflict as the memory adapter does.
func mapVehicleErr(op string, err error) error {
	err = mapErr(op, err)
	if crm.KindOf(err) == crm.KindConflict && constraintOf(err) == "vehicles_dealer_vin" {
		return crm.DuplicateField(op, "vin")
	}
	return err
}

// Search builds one explicit, parameterised statement from the prepared query: every filter is a condition on an
// indexed column or expression, the keyset position is a row comparison on (sort column, id), and one row more
// than the page tells whether there is a next page.
func (s vehicleStore) Search(ctx context.Context, q catalog.VehicleQuery) (catalog.VehiclePage, error) {
	const op = "postgres.Vehicles.Search"
	d, err := dealer(ctx)
	if err != nil {
		return catalog.VehiclePage{}, err
	}
	q, after, err := q.Prepare()
	if err != nil {
		return catalog.VehiclePage{}, err
	}
	query, args := vehicleSearchSQL(d, q, after)
	rows, err := s.t.tx.QueryContext(ctx, query, args...)
	items, err := collectRows(rows, err, op, scanVehicleFull)
	if err != nil {
		return catalog.VehiclePage{}, err
	}
	var page catalog.VehiclePage
	if len(items) > q.Limit {
		items = items[:q.Limit]
		page.NextCursor = q.CursorAfter(&items[len(items)-1])
	}
	if items == nil {
		items = []catalog.Vehicle{} // an empty page, as the memory adapter gives
	}
	page.Items = items
	return page, nil
}

// vehicleSearchSQL returns the statement and arguments of a prepared search.
func vehicleSearchSQL(d crm.ID, q catalog.VehicleQuery, after *catalog.VehicleAfter) (string, []any) {
	args := params{d}
	arg := args.add
	var b strings.Builder
	b.WriteString(`SELECT ` + vehicleFullCols + ` FROM vehicles WHERE dealer_id = $1`)
	if len(q.Status) > 0 {
		st := make([]string, len(q.Status))
		for i, s := range q.Status {
			st[i] = string(s)
		}
		b.WriteString(` AND status = ANY(` + arg(pq.StringArray(st)) + `)`)
	}
	// Prepared text filters are lower-cased already.
	if q.Make != "" {
		b.WriteString(` AND lower(make) = ` + arg(q.Make))
	}
	if q.Model != "" {
		b.WriteString(` AND lower(model) = ` + arg(q.Model))
	}
	if q.Trim != "" {
		b.WriteString(` AND lower(trim_level) = ` + arg(q.Trim))
	}
	if q.Generation != "" {
		b.WriteString(` AND lower(card ->> 'generation') = ` + arg(q.Generation))
	}
	if q.ConfigurationID != (crm.ID{}) {
		b.WriteString(` AND configuration_id = ` + arg(q.ConfigurationID))
	}
	if q.Option != "" {
		b.WriteString(` AND option_codes @> ARRAY[` + arg(q.Option) + `]::text[]`)
	}
	if q.YearFrom != 0 {
		b.WriteString(` AND year >= ` + arg(q.YearFrom))
	}
	if q.YearTo != 0 {
		b.WriteString(` AND year <= ` + arg(q.YearTo))
	}
	if q.PriceFrom != nil {
		b.WriteString(` AND list_price >= ` + arg(*q.PriceFrom))
	}
	if q.PriceTo != nil {
		b.WriteString(` AND list_price <= ` + arg(*q.PriceTo))
	}
	if q.ExternalID != "" {
		b.WriteString(` AND external_id = ` + arg(q.ExternalID))
	}
	if q.Text != "" {
		b.WriteString(` AND search_text LIKE ` + arg("%"+likeEscape(q.Text)+"%"))
	}
	col := map[catalog.VehicleSort]string{catalog.SortCreated: "created_at", catalog.SortPrice: "list_price",
		catalog.SortYear: "year"}[q.Sort]
	dir, cmp := " ASC", " > "
	if q.Desc {
		dir, cmp = " DESC", " < "
	}
	if after != nil {
		var key any
		switch q.Sort {
		case catalog.SortPrice:
			key = after.Price
		case catalog.SortYear:
			key = after.Year
		default:
			key = after.CreatedAt
		}
		b.WriteString(` AND (` + col + `, id)` + cmp + `(` + arg(key) + `, ` + arg(after.ID) + `::uuid)`)
	}
	b.WriteString(` ORDER BY ` + col + dir + `, id` + dir + ` LIMIT ` + arg(q.Limit+1))
	return b.String(), args
}

// likeEscape escapes the LIKE wildcards % and _ and the escape character itself.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

package postgres

import (
	"context"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/lib/pq"
	"github.com/shopspring/decimal"
)

type partStore struct{ t *Tx }

// Parts returns the spare-part store of this unit of work.
func (t *Tx) Parts() catalog.PartStore { return partStore{t} }

const partCols = `id, dealer_id, version, created_at, updated_at, number, name, compatible_models, quantity, currency,
	price, reserved`

func scanPart(row interface{ Scan(...any) error }) (catalog.Part, error) {
	var (
		p     catalog.Part
		cur   string
		price decimal.Decimal
	)
	err := row.Scan(&p.ID, &p.DealerID, &p.Version, &p.CreatedAt, &p.UpdatedAt, &p.Number, &p.Name,
		(*pq.StringArray)(&p.CompatibleModels), &p.Quantity, &cur, &price, &p.Reserved)
	p.Price = crm.NewMoney(price, crm.Currency(cur))
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if len(p.CompatibleModels) == 0 {
		p.CompatibleModels = nil
	}
	return p, err
}

// modelsKey lower-cases compatible models for the models_key column ("fits model" filter).
func modelsKey(models []string) pq.StringArray {
	out := make([]string, len(models))
	for i, m := range models {
		out[i] = strings.ToLower(m)
	}
	return out
}

// Get implements catalog.PartStore.Get (see there for the error kinds).
func (s partStore) Get(ctx context.Context, id crm.ID) (catalog.Part, error) {
	d, err := dealer(ctx)
	if err != nil {
		return catalog.Part{}, err
	}
	p, err := scanPart(s.t.tx.QueryRowContext(ctx, `SELECT `+partCols+` FROM parts WHERE id = $1 AND dealer_id = $2`+s.t.lock(), id, d))
	if isNoRows(err) {
		return catalog.Part{}, crm.NotFound("postgres.Parts.Get", "part %s not found", id)
	}
	return p, mapErr("postgres.Parts.Get", err)
}

// Create implements catalog.PartStore.Create (see there for the error kinds).
func (s partStore) Create(ctx context.Context, p *catalog.Part) error {
	const op = "postgres.Parts.Create"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&p.Meta, d, op); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO parts (`+partCols+`, models_key)
		VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $12, $11)`,
		p.ID, p.DealerID, p.CreatedAt, p.UpdatedAt, p.Number, p.Name, pq.StringArray(nonNil(p.CompatibleModels)),
		p.Quantity, string(p.Price.Currency), p.Price.Amount, modelsKey(p.CompatibleModels), p.Reserved)
	return created(&p.Meta, mapErr(op, err))
}

// Update implements catalog.PartStore.Update (see there for the error kinds).
func (s partStore) Update(ctx context.Context, p *catalog.Part) error {
	p.UpdatedAt = s.t.now
	const op = "postgres.Parts.Update"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE parts SET version = version + 1, updated_at = $4, number = $5, name = $6,
		compatible_models = $7, quantity = $8, currency = $9, price = $10, models_key = $11, reserved = $12
		WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		p.ID, d, p.Version, p.UpdatedAt, p.Number, p.Name, pq.StringArray(nonNil(p.CompatibleModels)), p.Quantity,
		string(p.Price.Currency), p.Price.Amount, modelsKey(p.CompatibleModels), p.Reserved)
	if err := s.t.updated(ctx, op, "parts", p.ID, d, res, err); err != nil {
		return err
	}
	p.Version++
	return nil
}

// Search implements catalog.PartStore.Search (see there for the error kinds).
func (s partStore) Search(ctx context.Context, q catalog.PartQuery) (catalog.PartPage, error) {
	const op = "postgres.Parts.Search"
	d, err := dealer(ctx)
	if err != nil {
		return catalog.PartPage{}, err
	}
	q, after, err := q.Prepare()
	if err != nil {
		return catalog.PartPage{}, err
	}
	args := params{d}
	arg := args.add
	var b strings.Builder
	b.WriteString(`SELECT ` + partCols + ` FROM parts WHERE dealer_id = $1`)
	if q.InStock {
		b.WriteString(` AND quantity > 0`)
	}
	if q.Model != "" {
		b.WriteString(` AND models_key @> ARRAY[` + arg(q.Model) + `::text]`)
	}
	if q.Text != "" {
		b.WriteString(` AND search_text LIKE ` + arg("%"+likeEscape(q.Text)+"%"))
	}
	if after != nil {
		b.WriteString(` AND (number, id) > (` + arg(after.Number) + `, ` + arg(after.ID) + `::uuid)`)
	}
	b.WriteString(` ORDER BY number, id LIMIT ` + arg(q.Limit+1))
	rows, err := s.t.tx.QueryContext(ctx, b.String(), args...)
	items, err := collectRows(rows, err, op, scanPart)
	if err != nil {
		return catalog.PartPage{}, err
	}
	var page catalog.PartPage
	if len(items) > q.Limit {
		items = items[:q.Limit]
		page.NextCursor = q.CursorAfter(&items[len(items)-1])
	}
	if items == nil {
		items = []catalog.Part{} // an empty page, as the memory adapter gives
	}
	page.Items = items
	return page, nil
}

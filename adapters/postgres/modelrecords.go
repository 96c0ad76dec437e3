package postgres

import (
	"context"
	"database/sql"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// modelRecordsSQL reads what catalog.ModelRecords holds in one statement: $1 the dealer, $2 the make, $3 the
// name key of the model asked for. Each row is one record: its part (1 a model of the make, 2 a generation, 3 a
// maintenance plan, 4 warranty terms of the model whose name key is $3), its place in its part's list (the order
// of the part's store List), the matched model's ID, then the columns of the four tables, NULL but the row's own
// (joined by ID to the union of the parts' keys, so that the union has no NULL of an unknown type).
var modelRecordsSQL, modelRecordsAt = func() (string, [5]int) {
	parts := []struct{ alias, cols string }{{"mo", modelTable.columns()}, {"ge", generationTable.columns()},
		{"mp", maintenancePlanTable.columns()}, {"wt", warrantyTermsTable.columns()}}
	var at [5]int // the first column of each part's record; then the total
	list := []string{"k.part", "k.pos", "(SELECT id FROM m)"}
	col := len(list)
	for i, p := range parts {
		at[i] = col
		q, k := qualified(p.alias, p.cols)
		list = append(list, q)
		col += k
	}
	at[4] = col
	const planOrder = "model_id, generation_id NULLS FIRST, id"
	return `WITH m AS (SELECT id FROM models WHERE dealer_id = $1 AND make_id = $2 AND name_key = $3)
		SELECT ` + strings.Join(list, ", ") + ` FROM (
			SELECT 1 AS part, row_number() OVER (ORDER BY name COLLATE "C", id) AS pos, id FROM models
			WHERE dealer_id = $1 AND make_id = $2
			UNION ALL
			SELECT 2, row_number() OVER (ORDER BY year_from, name COLLATE "C", id), id FROM generations
			WHERE dealer_id = $1 AND model_id = (SELECT id FROM m)
			UNION ALL
			SELECT 3, row_number() OVER (ORDER BY ` + planOrder + `), id FROM maintenance_plans
			WHERE dealer_id = $1 AND model_id = (SELECT id FROM m)
			UNION ALL
			SELECT 4, row_number() OVER (ORDER BY ` + planOrder + `), id FROM warranty_terms
			WHERE dealer_id = $1 AND model_id = (SELECT id FROM m)
		) k
		LEFT JOIN models mo ON k.part = 1 AND mo.id = k.id
		LEFT JOIN generations ge ON k.part = 2 AND ge.id = k.id
		LEFT JOIN maintenance_plans mp ON k.part = 3 AND mp.id = k.id
		LEFT JOIN warranty_terms wt ON k.part = 4 AND wt.id = k.id
		ORDER BY k.part, k.pos`, at
}()

// ReadModelRecords implements catalog.ModelRecordsReader in one statement (modelRecordsSQL): the make's models
// and the generations, maintenance plans and warranty terms of the one whose name key is modelName's, where the
// stores read them in four.
func (t *Tx) ReadModelRecords(ctx context.Context, makeID crm.ID, modelName string) (catalog.ModelRecords, error) {
	const op = "postgres.ReadModelRecords"
	d, err := dealer(ctx)
	if err != nil {
		return catalog.ModelRecords{}, err
	}
	rows, err := t.tx.QueryContext(ctx, modelRecordsSQL, d, makeID, catalog.NameKey(modelName))
	if err != nil {
		return catalog.ModelRecords{}, mapErr(op, err)
	}
	defer rows.Close()
	at := modelRecordsAt
	var rec catalog.ModelRecords
	for rows.Next() {
		w := func(from int) window { return window{rows, from, at[4]} }
		var (
			part    int
			pos     int64
			matched sql.Null[crm.ID]
		)
		if err := w(0).Scan(&part, &pos, &matched); err != nil {
			return catalog.ModelRecords{}, mapErr(op, err)
		}
		rec.Matched = matched.V
		switch part {
		case 1:
			m, err := modelTable.scanRow(w(at[0]))
			if err != nil {
				return catalog.ModelRecords{}, mapErr(op, err)
			}
			rec.Models = append(rec.Models, m)
		case 2:
			g, err := generationTable.scanRow(w(at[1]))
			if err != nil {
				return catalog.ModelRecords{}, mapErr(op, err)
			}
			rec.Generations = append(rec.Generations, g)
		case 3:
			p, err := maintenancePlanTable.scanRow(w(at[2]))
			if err != nil {
				return catalog.ModelRecords{}, mapErr(op, err)
			}
			rec.Plans = append(rec.Plans, p)
		case 4:
			tm, err := warrantyTermsTable.scanRow(w(at[3]))
			if err != nil {
				return catalog.ModelRecords{}, mapErr(op, err)
			}
			rec.Terms = append(rec.Terms, tm)
		}
	}
	if err := rows.Err(); err != nil {
		return catalog.ModelRecords{}, mapErr(op, err)
	}
	return rec, nil
}

var _ catalog.ModelRecordsReader = (*Tx)(nil)

package postgres

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// qualified returns the column list cols (comma-separated names) with every name prefixed by alias, and how many
// columns it has.
func qualified(alias, cols string) (string, int) {
	names := strings.Split(cols, ",")
	for i, n := range names {
		names[i] = alias + "." + strings.TrimSpace(n)
	}
	return strings.Join(names, ", "), len(names)
}

// window scans the columns [from, from+n) of a row of total columns, discarding the others, so that each record
// of a joined row is read by its own scan function (database/sql lets a row be scanned more than once).
type window struct {
	rows        *sql.Rows
	from, total int
}

// discard is a scan destination that keeps nothing (and so copies nothing).
type discard struct{}

func (discard) Scan(any) error { return nil }

func (w window) Scan(dest ...any) error {
	all := make([]any, w.total)
	for i := range all {
		all[i] = discard{}
	}
	copy(all[w.from:], dest)
	return w.rows.Scan(all...)
}

// present reports whether the column at i of the current row (a LEFT JOIN's id) is not NULL.
func (w window) present(i int) (bool, error) {
	var id sql.Null[crm.ID]
	err := window{w.rows, i, w.total}.Scan(&id)
	return id.Valid, err
}

// contractSourcesSQL reads a sale with its dealer, customer, vehicle, order and order lines (one row per line, one
// row when there is none), the dealer's directory version and the sale's documents (jsonb, newest first): what
// sales.ContractSources holds, in one statement; and the credit application and trade-in appraisal the sale links,
// which the contract states (read ahead: contractAhead).
var contractSourcesSQL, contractSourcesCols = func() (string, [9]int) {
	// the first column of: dealer, customer, vehicle, order, line, credit application, appraisal, documents; then
	// the total
	var n [9]int
	parts := []struct{ alias, cols string }{{"s", saleCols}, {"d", dealerCols}, {"c", customerTable.columns()},
		{"v", vehicleCols}, {"o", orderCols}, {"l", orderLineCols}, {"ca", creditApplicationTable.columns()},
		{"ap", appraisalTable.columns()}}
	var list []string
	col := 0
	for i, p := range parts {
		q, k := qualified(p.alias, p.cols)
		list = append(list, q)
		col += k
		if i == 0 {
			list = append(list, `(SELECT version FROM directory_versions WHERE dealer_id = $2)`)
			col++
		}
		n[i] = col
	}
	list = append(list, `(SELECT jsonb_agg(jsonb_build_object('id', x.id, 'dealer_id', x.dealer_id, 'version', x.version,
		'created_at', x.created_at, 'updated_at', x.updated_at, 'kind', x.kind, 'subject_id', x.subject_id, 'name', x.name,
		'content_type', x.content_type, 'size', x.size, 'sha256', x.sha256, 'key', x.key) ORDER BY x.created_at DESC, x.id DESC)
		FROM documents x WHERE x.dealer_id = s.dealer_id AND x.subject_id = s.id)`)
	n[8] = col + 1
	return `SELECT ` + strings.Join(list, ", ") + ` FROM sales s
		JOIN dealers d ON d.id = s.dealer_id
		LEFT JOIN customers c ON c.dealer_id = s.dealer_id AND c.id = s.customer_id
		LEFT JOIN vehicles v ON v.dealer_id = s.dealer_id AND v.id = s.vehicle_id
		LEFT JOIN credit_applications ca ON ca.dealer_id = s.dealer_id AND ca.id = s.credit_application_id
		LEFT JOIN appraisals ap ON ap.dealer_id = s.dealer_id AND ap.id = s.trade_in_appraisal_id
		LEFT JOIN orders o ON o.dealer_id = s.dealer_id AND o.sale_id = s.id
		LEFT JOIN order_lines l ON l.dealer_id = s.dealer_id AND l.order_id = o.id
		WHERE s.id = $1 AND s.dealer_id = $2
		ORDER BY l.position`, n
}()

// documentJSON is a document as contractSourcesSQL aggregates it.
type documentJSON struct {
	ID          crm.ID    `json:"id"`
	DealerID    crm.ID    `json:"dealer_id"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Kind        string    `json:"kind"`
	SubjectID   crm.ID    `json:"subject_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Key         string    `json:"key"`
}

// ContractSources implements sales.ContractSourcesReader: one joined statement (contractSourcesSQL) instead of a
// read per record, so a contract costs one round trip and its records come from one snapshot.
func (t *Tx) ContractSources(ctx context.Context, saleID crm.ID) (sales.ContractSources, error) {
	const op = "postgres.Sales.ContractSources"
	d, err := dealer(ctx)
	if err != nil {
		return sales.ContractSources{}, err
	}
	rows, err := t.tx.QueryContext(ctx, contractSourcesSQL, saleID, d)
	if err != nil {
		return sales.ContractSources{}, mapErr(op, err)
	}
	defer rows.Close()
	n := contractSourcesCols
	total := n[8]
	t.contract = nil
	var ahead contractAhead
	var src sales.ContractSources
	first := true
	for rows.Next() {
		w := func(from int) window { return window{rows, from, total} }
		if first {
			first = false
			if src.Sale, err = scanSale(withVersion{w(0), t, d}); err != nil {
				return sales.ContractSources{}, mapErr(op, err)
			}
			if src.Dealer, err = (dealerStore{t}).scan(w(n[0])); err != nil {
				return sales.ContractSources{}, mapErr(op, err)
			}
			if ok, err := w(0).present(n[1]); err != nil {
				return sales.ContractSources{}, mapErr(op, err)
			} else if ok {
				if src.Customer, err = customerTable.scanRow(w(n[1])); err != nil {
					return sales.ContractSources{}, mapErr(op, err)
				}
			}
			if ok, err := w(0).present(n[2]); err != nil {
				return sales.ContractSources{}, mapErr(op, err)
			} else if ok {
				if src.Vehicle, err = scanVehicle(w(n[2])); err != nil {
					return sales.ContractSources{}, mapErr(op, err)
				}
			}
			if ok, err := w(0).present(n[3]); err != nil {
				return sales.ContractSources{}, mapErr(op, err)
			} else if ok {
				if src.Order, err = scanOrder(w(n[3])); err != nil {
					return sales.ContractSources{}, mapErr(op, err)
				}
				src.HasOrder, src.Order.Lines = true, []sales.Line{}
			}
			if ok, err := w(0).present(n[5]); err != nil {
				return sales.ContractSources{}, mapErr(op, err)
			} else if ok {
				if ahead.credit, err = creditApplicationTable.scanRow(w(n[5])); err != nil {
					return sales.ContractSources{}, mapErr(op, err)
				}
			}
			if ok, err := w(0).present(n[6]); err != nil {
				return sales.ContractSources{}, mapErr(op, err)
			} else if ok {
				if ahead.appraisal, err = appraisalTable.scanRow(w(n[6])); err != nil {
					return sales.ContractSources{}, mapErr(op, err)
				}
			}
			var docs []documentJSON
			if err := w(n[7]).Scan(jsonb{&docs}); err != nil {
				return sales.ContractSources{}, mapErr(op, err)
			}
			for _, x := range docs {
				src.Documents = append(src.Documents, crm.Document{Meta: crm.Meta{ID: x.ID, DealerID: x.DealerID,
					Version: x.Version, CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}, Kind: x.Kind,
					SubjectID: x.SubjectID, Name: x.Name, ContentType: x.ContentType, Size: x.Size, SHA256: x.SHA256, Key: x.Key})
			}
		}
		if ok, err := w(0).present(n[4] + 2); err != nil { // the line's id (order_id, position, id, …)
			return sales.ContractSources{}, mapErr(op, err)
		} else if ok {
			l, err := scanOrderLine(w(n[4]), src.Order.Currency)
			if err != nil {
				return sales.ContractSources{}, mapErr(op, err)
			}
			src.Order.Lines = append(src.Order.Lines, l)
		}
	}
	if err := rows.Err(); err != nil {
		return sales.ContractSources{}, mapErr(op, err)
	}
	if first {
		return sales.ContractSources{}, crm.NotFound(op, "sale %s not found", saleID)
	}
	if !t.writable { // a read-write unit reads them again, locked
		t.contract = &ahead
	}
	return src, nil
}

// contractAhead is what a read-only unit's contract read (ContractSources) found of the sale's credit application
// and trade-in appraisal (ID zero: none), which the contract's terms read next: CreditLinks().Get and
// Appraisals().Get answer from it instead of a statement of their own, so that the contract of a sale with a
// credit or a trade-in stays one statement. Any write in the unit drops it (Tx.write).
type contractAhead struct {
	credit    credit.Application
	appraisal appraisal.Appraisal
}

var _ sales.ContractSourcesReader = (*Tx)(nil)

package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/timeline"
	"github.com/google/uuid"
)

type timelineStore struct{ t *Tx }

// Timeline returns the customer-timeline reader of this unit of work: one UNION query over the records.
func (t *Tx) Timeline() timeline.Store { return timelineStore{t} }

// timelineSQL is every branch of the timeline of customer $2 of dealer $1 (with the activities, test drives and
// customer notices of the customer's leads, which keep no customer of their own when linked later), ordered and cut as timeline.Before
// orders (the record type compared byte by byte, COLLATE "C", as Go compares strings), after the keyset position
// ($3, $4, $5, $6) when $3 is not null. History entries come out of the jsonb documents with their position.
const timelineSQL = `
SELECT at, kind, actor, record_type, record_id, seq, from_, to_, text, status, reason FROM (
  SELECT created_at AS at, 'activity' AS kind, created_by AS actor, 'activity' AS record_type, id AS record_id, 0 AS seq,
         kind AS from_, '' AS to_, subject AS text, '' AS status, '' AS reason
    FROM activities WHERE dealer_id = $1 AND (customer_id = $2 OR lead_id IN (SELECT id FROM leads WHERE dealer_id = $1 AND customer_id = $2))
  UNION ALL
  SELECT completed_at, CASE WHEN status = 'cancelled' THEN 'activity_cancelled' ELSE 'activity_done' END, completed_by,
         'activity', id, 1, kind, '', CASE WHEN status = 'cancelled' THEN subject ELSE result END, '', ''
    FROM activities WHERE dealer_id = $1 AND (customer_id = $2 OR lead_id IN (SELECT id FROM leads WHERE dealer_id = $1 AND customer_id = $2)) AND completed_at IS NOT NULL
  UNION ALL
  SELECT (h->>'at')::timestamptz, 'lead_stage', (h->>'by')::uuid, 'lead', l.id, (n - 1)::int,
         coalesce(h->>'from', ''), coalesce(h->>'to', ''), coalesce(h->>'reason', ''), '', ''
    FROM leads l, jsonb_array_elements(l.doc->'history') WITH ORDINALITY AS x(h, n)
   WHERE l.dealer_id = $1 AND l.customer_id = $2
  UNION ALL
  SELECT created_at, 'test_drive', booked_by, 'test_drive', id, 0, '', status, '', '', ''
    FROM test_drives WHERE dealer_id = $1 AND (customer_id = $2 OR lead_id IN (SELECT id FROM leads WHERE dealer_id = $1 AND customer_id = $2))
  UNION ALL
  SELECT (h->>'at')::timestamptz, 'sale_stage', (h->>'by')::uuid, 'sale', s.id, (n - 1)::int,
         coalesce(h->>'from_code', ''), coalesce(h->>'to_code', ''), coalesce(h->>'reason', ''), '', ''
    FROM sales s, jsonb_array_elements(s.history) WITH ORDINALITY AS x(h, n)
   WHERE s.dealer_id = $1 AND s.customer_id = $2
  UNION ALL
  SELECT (h->>'at')::timestamptz, 'credit_state', (h->>'by')::uuid, 'credit_application', c.id, (n - 1)::int,
         coalesce(h->>'from', ''), coalesce(h->>'to', ''), coalesce(h->>'comment', ''), '', ''
    FROM credit_applications c, jsonb_array_elements(c.history) WITH ORDINALITY AS x(h, n)
   WHERE c.dealer_id = $1 AND c.customer_id = $2
  UNION ALL
  SELECT (h->>'at')::timestamptz, 'appraisal_state', (h->>'by')::uuid, 'appraisal', a.id, (n - 1)::int,
         coalesce(h->>'from', ''), coalesce(h->>'to', ''), coalesce(h->>'comment', ''), '', ''
    FROM appraisals a, jsonb_array_elements(a.doc->'history') WITH ORDINALITY AS x(h, n)
   WHERE a.dealer_id = $1 AND a.customer_id = $2
  UNION ALL
  SELECT created_at, 'service_visit', advisor_id, 'service_appointment', id, 0, '', status, '', '', ''
    FROM service_appointments WHERE dealer_id = $1 AND customer_id = $2
  UNION ALL
  SELECT created_at, 'notice', NULL::uuid, 'notice', id, 0, topic, '', subject,
         CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN dead_at IS NOT NULL THEN 'dead' ELSE 'pending' END,
         CASE WHEN sent_at IS NULL THEN last_error ELSE '' END
    FROM outbox WHERE dealer_id = $1 AND (data->>'customer_id' = $2::text
         OR (NOT data ? 'user_id' AND data->>'lead_id' IN (SELECT id::text FROM leads WHERE dealer_id = $1 AND customer_id = $2)))
) t
WHERE $3::timestamptz IS NULL
   OR (at, record_type COLLATE "C", record_id, seq) < ($3::timestamptz, $4::text COLLATE "C", $5::uuid, $6::int)
ORDER BY at DESC, record_type COLLATE "C" DESC, record_id DESC, seq DESC
LIMIT $7`

func (s timelineStore) Customer(ctx context.Context, customer crm.ID, after timeline.Position, limit int) ([]timeline.Item, error) {
	const op = "postgres.timeline.Customer"
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	var at sql.Null[time.Time]
	if !after.IsZero() {
		at = sql.Null[time.Time]{V: after.At.UTC(), Valid: true}
	}
	rows, err := s.t.tx.QueryContext(ctx, timelineSQL, d, customer, at, string(after.RecordType), after.RecordID, after.Seq, limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	defer rows.Close()
	var out []timeline.Item
	for rows.Next() {
		var it timeline.Item
		var kind, recordType string
		var actor uuid.NullUUID
		if err := rows.Scan(&it.At, &kind, &actor, &recordType, &it.RecordID, &it.Seq, &it.From, &it.To, &it.Text, &it.Status, &it.Reason); err != nil {
			return nil, mapErr(op, err)
		}
		it.At, it.Kind, it.RecordType, it.Actor = it.At.UTC(), timeline.Kind(kind), timeline.RecordType(recordType), actor.UUID
		out = append(out, it)
	}
	return out, mapErr(op, rows.Err())
}

var _ timeline.Stores = (*Tx)(nil)

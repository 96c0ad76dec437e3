package postgres

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/lib/pq"
)

// A vehicle's holds are kept in two places (migration 093): the exclusive ones (a sale's) in the row's
// reservations jsonb, read with the row by every rule; the shared ones (test drives') in vehicle_holds, one row
// each, read only for the card (Get, GetByVIN, Search) so that booking a test drive neither reads nor rewrites
// the car's other drives' holds (catalog.VehicleStore.GetForReserve).

// vehicleHoldsCol is the vehicle's shared holds as one jsonb array of reservationDoc, in the order they were
// made, for a select list over the vehicles table (not aliased).
const vehicleHoldsCol = `(SELECT ` + holdsAgg + ` FROM vehicle_holds h WHERE h.dealer_id = vehicles.dealer_id AND h.vehicle_id = vehicles.id)`

// holdsAgg aggregates the holds h as one jsonb array of reservationDoc in the order they were made.
const holdsAgg = `coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('purpose', h.purpose,
	'ref_id', h.ref_id, 'holder', jsonb_build_object('lead_id', h.lead_id, 'sale_id', h.sale_id,
	'customer_id', h.customer_id), 'from', h.from_at, 'until', h.until_at, 'created_at', h.created_at))
	ORDER BY h.seq), '[]')`

// vehicleEndedHoldsCol is the vehicle's shared holds that ended at or before $3 and the one ending last (a hold
// without an end counts as ending last), as vehicleHoldsCol lists them: two range reads of vehicle_holds_ending
// (migration 096), whatever the number of the car's holds (catalog.VehicleStore.GetForExpiry).
const vehicleEndedHoldsCol = `(SELECT ` + holdsAgg + ` FROM (
	SELECT * FROM vehicle_holds e WHERE e.dealer_id = vehicles.dealer_id AND e.vehicle_id = vehicles.id AND e.until_at <= $3
	UNION
	(SELECT * FROM vehicle_holds l WHERE l.dealer_id = vehicles.dealer_id AND l.vehicle_id = vehicles.id
		ORDER BY l.until_at DESC NULLS FIRST LIMIT 1)) h)`

// heldPastEndSQL lists the dealer's ($1) reserved vehicles after $3 having a shared hold that ended at or before
// $2, or an exclusive one (kept in the row's reservations, a handful at most) with such an end, at most $4: one
// probe of vehicle_holds_ending per reserved vehicle.
const heldPastEndSQL = `SELECT v.id FROM vehicles v WHERE v.dealer_id = $1 AND v.status = 'reserved' AND v.id > $3
	AND (EXISTS (SELECT FROM vehicle_holds h WHERE h.dealer_id = v.dealer_id AND h.vehicle_id = v.id AND h.until_at <= $2)
		OR EXISTS (SELECT FROM jsonb_array_elements(v.reservations) r
			WHERE r ? 'until' AND (r->>'until')::timestamptz <= $2))
	ORDER BY v.id LIMIT $4`

// vehicleFullCols are vehicleCols and the shared holds: the card with every hold (scanVehicleFull).
const vehicleFullCols = vehicleCols + `, ` + vehicleHoldsCol

// holdRowDoc is one shared hold as written to vehicle_holds (jsonb_to_recordset's record).
type holdRowDoc struct {
	RefID      crm.ID    `json:"ref_id"`
	Purpose    string    `json:"purpose"`
	LeadID     crm.ID    `json:"lead_id,omitzero"`
	SaleID     crm.ID    `json:"sale_id,omitzero"`
	CustomerID crm.ID    `json:"customer_id,omitzero"`
	From       time.Time `json:"from_at,omitzero"`
	Until      time.Time `json:"until_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
}

// upsertHoldsSQL writes the shared holds $3 (a jsonb array of holdRowDoc) of vehicle $2 of dealer $1: new ones
// are inserted, changed ones updated in place (keeping their order), the same ones left alone.
const upsertHoldsSQL = `INSERT INTO vehicle_holds (dealer_id, vehicle_id, ref_id, purpose, lead_id, sale_id,
		customer_id, from_at, until_at, created_at)
	SELECT $1, $2, h.ref_id, h.purpose, h.lead_id, h.sale_id, h.customer_id, h.from_at, h.until_at, h.created_at
	FROM jsonb_to_recordset($3::jsonb) AS h(ref_id uuid, purpose text, lead_id uuid, sale_id uuid, customer_id uuid,
		from_at timestamptz, until_at timestamptz, created_at timestamptz)
	ON CONFLICT (dealer_id, vehicle_id, ref_id) DO UPDATE SET purpose = excluded.purpose, lead_id = excluded.lead_id,
		sale_id = excluded.sale_id, customer_id = excluded.customer_id, from_at = excluded.from_at,
		until_at = excluded.until_at, created_at = excluded.created_at
	WHERE (vehicle_holds.purpose, vehicle_holds.lead_id, vehicle_holds.sale_id, vehicle_holds.customer_id,
		vehicle_holds.from_at, vehicle_holds.until_at, vehicle_holds.created_at) IS DISTINCT FROM
		(excluded.purpose, excluded.lead_id, excluded.sale_id, excluded.customer_id, excluded.from_at,
		excluded.until_at, excluded.created_at)`

// dropHoldsSQL deletes the shared holds of vehicle $2 of dealer $1 other than those whose ref_id is in $3.
const dropHoldsSQL = `DELETE FROM vehicle_holds WHERE dealer_id = $1 AND vehicle_id = $2 AND ref_id <> ALL($3::uuid[])`

// writeHolds sends, as writes of the unit's batch, what keeps vehicle_holds in step with v's shared holds: the
// ones v carries upserted; when v carries every hold (read with Get), the others deleted; when it carries only
// the exclusive ones (GetForReserve), the others kept unless v is no longer reserved.
func (t *Tx) writeHolds(ctx context.Context, d crm.ID, v *catalog.Vehicle) error {
	var docs []holdRowDoc
	refs := []string{}
	for _, r := range v.Reservations {
		if r.Purpose.Exclusive() {
			continue
		}
		docs = append(docs, holdRowDoc{RefID: r.RefID, Purpose: string(r.Purpose), LeadID: r.Holder.LeadID,
			SaleID: r.Holder.SaleID, CustomerID: r.Holder.CustomerID, From: r.From, Until: r.Until, CreatedAt: r.CreatedAt})
		refs = append(refs, r.RefID.String())
	}
	const op = "postgres.Vehicles.Update"
	mapped := func(_ sql.Result, err error) error { return mapErr(op, err) }
	if len(docs) > 0 {
		if err := t.writeRows(ctx, "vehicle_holds", upsertHoldsSQL, []any{d, v.ID, jsonb{docs}}, mapped); err != nil {
			return err
		}
	}
	if v.SaleHoldsOnly && v.Status == catalog.StatusReserved {
		if len(v.DroppedHolds) == 0 {
			return nil
		}
		dropped := make([]string, len(v.DroppedHolds))
		for i, ref := range v.DroppedHolds {
			dropped[i] = ref.String()
		}
		v.DroppedHolds = nil
		return t.writeRows(ctx, "vehicle_holds", dropTheseHoldsSQL, []any{d, v.ID, pq.StringArray(dropped)}, mapped)
	}
	v.DroppedHolds = nil
	return t.writeRows(ctx, "vehicle_holds", dropHoldsSQL, []any{d, v.ID, pq.StringArray(refs)}, mapped)
}

// dropTheseHoldsSQL deletes the shared holds of vehicle $2 of dealer $1 whose ref_id is in $3.
const dropTheseHoldsSQL = `DELETE FROM vehicle_holds WHERE dealer_id = $1 AND vehicle_id = $2 AND ref_id = ANY($3::uuid[])`

// withHolds returns v with its shared holds docs (as vehicleHoldsCol reads them) after its exclusive ones, all in
// the order they were made (a stable sort by creation: the shared ones first on a tie).
func withHolds(v catalog.Vehicle, docs []reservationDoc) catalog.Vehicle {
	v.SaleHoldsOnly = false
	if len(docs) == 0 {
		return v
	}
	shared := reservationsOf(docs)
	for i := range shared {
		r := &shared[i]
		r.From, r.Until, r.CreatedAt = utcOrZero(r.From), utcOrZero(r.Until), r.CreatedAt.UTC()
	}
	all := append(shared, v.Reservations...)
	slices.SortStableFunc(all, func(a, b catalog.Reservation) int { return a.CreatedAt.Compare(b.CreatedAt) })
	v.Reservations = all
	return v
}

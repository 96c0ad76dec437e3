package memory

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// vehicleRow is how a vehicle is stored: a pointer to a copy that is never changed after it is put (an update
// puts a new copy), so rows behave as values. Beside it the row keeps what most searches filter on, so that a scan
// rejects most rows without reading the card: the dealer, the status, and the lower-cased make and model as
// numbers interned in vehicleWords.
type vehicleRow struct {
	v            *catalog.Vehicle
	dealer       crm.ID
	status       catalog.Status
	make_, model uint32
	ord          uint32 // the car's number among its dealer's in the text index (trigramIndex.ordinal)
}

var (
	vehicleRecords = records[vehicleRow]{name: "vehicles", meta: func(r *vehicleRow) *crm.Meta { return &r.v.Meta },
		orders: []order[vehicleRow]{vehicleOrder(catalog.SortCreated), vehicleOrder(catalog.SortPrice), vehicleOrder(catalog.SortYear)},
		hooks: func(db *DB) []func(tx *Tx, id crm.ID, old, v *vehicleRow) {
			return []func(tx *Tx, id crm.ID, old, v *vehicleRow){vehicleTrigrams(db).change}
		}}
	vehicleVINs   = uniqueIndex{name: "vehicles_vin"}
	vehicleExtIDs = uniqueIndex{name: "vehicles_external_id"}
)

// vehicleWords interns lower-cased makes and models (strings.ToLower, as VehicleQuery.Prepare lowers the query):
// equal numbers are equal words. It is written in the unit of work that first uses a word, so a rollback forgets
// the word with the row.
func vehicleWords(tx *Tx) *table[string, uint32] {
	return tableOf[string, uint32](tx.db, "vehicles_words")
}

// vehicleOrder is the ordered view of the vehicles for one sort of catalog.VehicleQuery, ascending (a descending
// search walks it backwards: Compare negates the ID tie-break too).
func vehicleOrder(s catalog.VehicleSort) order[vehicleRow] {
	q := catalog.VehicleQuery{Sort: s}
	return order[vehicleRow]{name: string(s), cmp: func(a, b *vehicleRow) int { return q.Compare(a.v, b.v) }}
}

func intern(tx *Tx, s string) (uint32, error) {
	w := vehicleWords(tx)
	s = strings.ToLower(s)
	if n, ok := w.get(s); ok {
		return n, nil
	}
	n := uint32(len(w.rows) + 1)
	return n, w.put(tx, s, n)
}

// newVehicleRow makes the row of v: a copy carrying only its exclusive holds (the shared ones are kept beside the
// row, vehicleholds.go).
func newVehicleRow(tx *Tx, v *catalog.Vehicle) (vehicleRow, error) {
	c := *v
	c.Reservations = catalog.ExclusiveHolds(v.Reservations)
	c.SaleHoldsOnly, c.DroppedHolds = false, nil
	c = c.Clone()
	if !tx.writable {
		return vehicleRow{}, errReadOnly
	}
	ord := vehicleTrigrams(tx.db).ordinal(tx, c.DealerID, c.ID)
	mk, err := intern(tx, c.Make)
	if err != nil {
		return vehicleRow{}, err
	}
	md, err := intern(tx, c.Model)
	if err != nil {
		return vehicleRow{}, err
	}
	return vehicleRow{v: &c, dealer: c.DealerID, status: c.Status, make_: mk, model: md, ord: ord}, nil
}

type vehicleStore struct{ tx *Tx }

// Vehicles returns the vehicle store of this unit of work.
func (tx *Tx) Vehicles() catalog.VehicleStore { return vehicleStore{tx} }

// Get implements catalog.VehicleStore.Get (see there for the error kinds).
func (s vehicleStore) Get(ctx context.Context, id crm.ID) (catalog.Vehicle, error) {
	v, err := s.stored(ctx, id)
	if err != nil {
		return catalog.Vehicle{}, err
	}
	return withHolds(s.tx, v.Clone()), nil
}

// GetForReserve implements catalog.VehicleStore.GetForReserve (see there for the error kinds): the row alone.
func (s vehicleStore) GetForReserve(ctx context.Context, id crm.ID) (catalog.Vehicle, error) {
	v, err := s.stored(ctx, id)
	if err != nil {
		return catalog.Vehicle{}, err
	}
	c := v.Clone()
	c.SaleHoldsOnly = true
	return c, nil
}

// GetForExpiry implements catalog.VehicleStore.GetForExpiry (see there for the error kinds): the row, and from
// the holds' ends (endedHolds) the ended ones and the one ending last.
func (s vehicleStore) GetForExpiry(ctx context.Context, id crm.ID, now time.Time) (catalog.Vehicle, error) {
	v, err := s.GetForReserve(ctx, id)
	if err != nil {
		return catalog.Vehicle{}, err
	}
	if shared := endedHolds(s.tx, id, now); len(shared) > 0 {
		v.Reservations = append(shared, v.Reservations...)
		slices.SortStableFunc(v.Reservations, func(a, b catalog.Reservation) int { return a.CreatedAt.Compare(b.CreatedAt) })
	}
	return v, nil
}

// ListHeldPastEnd implements catalog.VehicleStore.ListHeldPastEnd: the dealer's reserved rows, each asked for the
// first of its shared holds' ends and for its own (exclusive) holds' ends.
func (s vehicleStore) ListHeldPastEnd(ctx context.Context, now time.Time, after crm.ID, limit int) ([]crm.ID, error) {
	var ids []crm.ID
	err := vehicleRecords.each(ctx, s.tx, func(r *vehicleRow) bool {
		if r.status == catalog.StatusReserved && bytes.Compare(r.v.ID[:], after[:]) > 0 &&
			(hasEnded(s.tx, r.v.ID, now) || ownHoldEnded(r.v, now)) {
			ids = append(ids, r.v.ID)
		}
		return true
	})
	slices.SortFunc(ids, func(a, b crm.ID) int { return bytes.Compare(a[:], b[:]) })
	return ids[:min(len(ids), limit)], err
}

// GetByVIN implements catalog.VehicleStore.GetByVIN (see there for the error kinds).
func (s vehicleStore) GetByVIN(ctx context.Context, vin catalog.VIN) (catalog.Vehicle, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return catalog.Vehicle{}, err
	}
	id, ok := vehicleVINs.table(s.tx).get(dealerKey{d, string(vin)})
	if !ok || vin == "" {
		return catalog.Vehicle{}, crm.NotFound("memory.vehicles.GetByVIN", "vehicle with VIN %s not found", vin)
	}
	return s.Get(ctx, id)
}

// Create implements catalog.VehicleStore.Create (see there for the error kinds).
func (s vehicleStore) Create(ctx context.Context, v *catalog.Vehicle) error {
	const op = "memory.vehicles.Create"
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	if err := v.Invariants(); err != nil {
		return err
	}
	if !s.tx.writable {
		return errReadOnly
	}
	if !vehicleVINs.free(s.tx, d, string(v.VIN), crm.ID{}) {
		return crm.DuplicateField(op, "vin")
	}
	if !vehicleExtIDs.free(s.tx, d, v.ExternalID, crm.ID{}) {
		return crm.DuplicateField(op, "external_id")
	}
	if v.DealerID == (crm.ID{}) {
		v.DealerID = d
	}
	if v.ID == (crm.ID{}) { // numbered in the text index from the start (newVehicleRow)
		v.ID = crm.NewID()
	}
	row, err := newVehicleRow(s.tx, v)
	if err != nil {
		return err
	}
	if err := vehicleRecords.create(ctx, s.tx, &row); err != nil {
		return err
	}
	v.Meta = row.v.Meta
	if len(row.v.Reservations) != len(v.Reservations) {
		if err := writeHolds(s.tx, v); err != nil {
			return err
		}
	}
	if err := vehicleExtIDs.move(s.tx, d, "", v.ExternalID, v.ID); err != nil {
		return err
	}
	return vehicleVINs.move(s.tx, d, "", string(v.VIN), v.ID)
}

// Update implements catalog.VehicleStore.Update (see there for the error kinds).
func (s vehicleStore) Update(ctx context.Context, v *catalog.Vehicle) error {
	const op = "memory.vehicles.Update"
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	old, ok := vehicleRecords.table(s.tx).get(v.ID)
	if !ok || old.v.DealerID != d {
		return crm.NotFound(op, "vehicle %s not found", v.ID)
	}
	if old.v.Version != v.Version {
		return crm.Stale(op, "vehicle %s is at version %d, not %d", v.ID, old.v.Version, v.Version)
	}
	if err := v.Invariants(); err != nil {
		return err
	}
	if !vehicleVINs.free(s.tx, d, string(v.VIN), v.ID) {
		return crm.DuplicateField(op, "vin")
	}
	if !vehicleExtIDs.free(s.tx, d, v.ExternalID, v.ID) {
		return crm.DuplicateField(op, "external_id")
	}
	row, err := newVehicleRow(s.tx, v)
	if err != nil {
		return err
	}
	if err := vehicleRecords.update(ctx, s.tx, &row); err != nil {
		return err
	}
	v.Meta = row.v.Meta
	if err := writeHolds(s.tx, v); err != nil {
		return err
	}
	if err := vehicleExtIDs.move(s.tx, d, old.v.ExternalID, v.ExternalID, v.ID); err != nil {
		return err
	}
	return vehicleVINs.move(s.tx, d, string(old.v.VIN), string(v.VIN), v.ID)
}

// Search walks the dealer's vehicles in the query's order (the ordered view of its sort, from the cursor on),
// keeping the first Limit+1 that match (q.Match, q.After and q.Compare are the reference meaning of a search),
// and copies out only the page: a first page costs about its own size when most cars match. A text of three bytes
// or more narrows the walk through the trigram index (trigramIndex, textPlan): when one of its trigrams' posting
// lists is a sorted list (a 32nd of the dealer's cars or fewer), the lists are intersected into candidates, a few
// of which are ordered directly; more are a bitmap the walk tests each row's number against before reading its
// card, until the walk has passed over sixteen times as many rows as there are candidates (their matches are far
// in this order), when the candidates are ordered directly instead. When every list is a bitmap, the walk tests
// each row against them (rarest first) and builds no candidates; when it has passed over about half as many rows
// as the bitmaps have words, they are ANDed into the candidates, used as above.
func (s vehicleStore) Search(ctx context.Context, q catalog.VehicleQuery) (catalog.VehiclePage, error) {
	top, next, err := s.search(ctx, q)
	if err != nil {
		return catalog.VehiclePage{}, err
	}
	page := catalog.VehiclePage{Items: make([]catalog.Vehicle, len(top)), NextCursor: next}
	for i, v := range top {
		page.Items[i] = withHolds(s.tx, v.Clone())
	}
	return page, nil
}

// search returns the stored vehicles (not copies) of the page q selects, in q's order, and the next page's
// cursor.
func (s vehicleStore) search(ctx context.Context, q catalog.VehicleQuery) ([]*catalog.Vehicle, string, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, "", err
	}
	q, after, err := q.Prepare()
	if err != nil {
		return nil, "", err
	}
	var mk, md uint32 // 0: any
	words := vehicleWords(s.tx)
	for _, f := range []struct {
		word string
		id   *uint32
	}{{q.Make, &mk}, {q.Model, &md}} {
		if f.word == "" {
			continue
		}
		n, ok := words.get(f.word)
		if !ok {
			return nil, "", nil // no vehicle has it
		}
		*f.id = n
	}
	top := make([]*catalog.Vehicle, 0, q.Limit+1)
	keep := func(r *vehicleRow) bool {
		// The row's own fields first (no pointer to follow); then the reference semantics on the card.
		return (mk == 0 || r.make_ == mk) && (md == 0 || r.model == md) &&
			(len(q.Status) == 0 || slices.Contains(q.Status, r.status)) && q.Match(r.v)
	}
	table := vehicleRecords.table(s.tx)
	mine := table.index.of(d)
	if mine == nil {
		return nil, "", nil
	}
	texts := vehicleTrigrams(s.tx.db).dealer(d)
	pl := texts.plan(q.Text)
	if pl.none {
		return nil, "", nil // some trigram of the text is in none of the dealer's cars
	}
	// byCandidates orders the candidates here: the cars the trigram index names, each read only when it would
	// enter the page.
	byCandidates := func(cands []uint32) {
		top = top[:0]
		for _, n := range cands {
			r, ok := table.rows[texts.ids[n]]
			if !ok || r.dealer != d || len(top) == q.Limit+1 && q.Compare(r.v, top[q.Limit]) >= 0 ||
				!q.After(r.v, after) || !keep(&r) {
				continue
			}
			top = keepFirst(top, r.v, q.Limit+1, q.Compare)
		}
	}
	list := table.index.sorted(d, string(q.Sort))
	var pivot *vehicleRow
	if after != nil {
		at := &catalog.Vehicle{Meta: crm.Meta{ID: after.ID, CreatedAt: after.CreatedAt}, Year: after.Year}
		at.Finance.ListPrice.Amount = after.Price
		pivot = &vehicleRow{v: at}
	}
	// walk walks the ordered view of the sort from the cursor on, keeping the matches until the page is full. A
	// row whose number is not in isCand (when given), or not in every bitmap of the text (when tp is given), is
	// passed over without reading its card. With a budget ≥ 0, the walk gives up (returns true) after passing
	// over that many rows.
	walk := func(isCand []uint64, tp *textPlan, budget int) (gaveUp bool) {
		top = top[:0]
		limited := budget >= 0
		visit := func(r *vehicleRow) bool {
			if limited {
				if budget--; budget < 0 {
					gaveUp = true
					return false
				}
			}
			if isCand != nil {
				if w := int(r.ord / 64); w >= len(isCand) || isCand[w]&(1<<(r.ord%64)) == 0 {
					return true
				}
			} else if tp != nil && !tp.test(r.ord) {
				return true
			}
			if keep(r) {
				top = append(top, r.v)
			}
			return len(top) <= q.Limit
		}
		if q.Desc {
			list.descend(pivot, visit)
		} else {
			list.ascend(pivot, visit)
		}
		return gaveUp
	}
	// candidates walks with the candidates' bitmap while the walk passes over at most 16 × as many rows as there
	// are candidates (their matches are far in this order), then orders the candidates directly; a few (≤ 4 ×
	// the page) are ordered directly from the start.
	candidates := func(isCand []uint64, cands []uint32, count int) {
		if count <= 4*(q.Limit+1) || walk(isCand, nil, 16*count+64) {
			if cands == nil {
				cands = appendBits(make([]uint32, 0, count), isCand)
			}
			byCandidates(cands)
		}
	}
	switch {
	case pl.wide: // no trigram: every row is read
		walk(nil, nil, -1)
	case pl.sparse() != nil:
		// The rarest sorted list, intersected with the next and tested against the bitmaps: fewer candidates than
		// a 32nd of the dealer's cars.
		buf := candidateLists.Get().(*[]uint32)
		defer candidateLists.Put(buf)
		*buf = pl.intersect(*buf)
		cands := *buf
		var isCand []uint64
		if len(cands) > 4*(q.Limit+1) {
			buf := getBits(len(texts.ids))
			defer putBits(buf)
			isCand = *buf
			for _, n := range cands {
				isCand[n/64] |= 1 << (n % 64)
			}
		}
		candidates(isCand, cands, len(cands))
	default:
		// Every list is a bitmap: the walk tests each row against them, rarest first, without building the
		// candidates; when its matches are far in this order (the walk has passed over as many rows as about half
		// the words of the bitmaps to AND), the bitmaps are ANDed into the candidates'.
		words := len(pl.dense[0])
		if walk(nil, &pl, words*len(pl.dense)/2+64) {
			buf := getBits(0)
			defer putBits(buf)
			var count int
			*buf, count = pl.and(*buf)
			candidates(*buf, nil, count)
		}
	}
	var next string
	if len(top) > q.Limit {
		top = top[:q.Limit]
		next = q.CursorAfter(top[len(top)-1])
	}
	return top, next, nil
}

// candidateBits are bitmaps of car numbers for search to mark a text's candidates in, all zero when in the pool.
var candidateBits = sync.Pool{New: func() any { return new([]uint64) }}

// candidateLists are room for the candidates of a search (car numbers), reused.
var candidateLists = sync.Pool{New: func() any { return new([]uint32) }}

// getBits returns a zero bitmap of the pool with room for n car numbers.
func getBits(n int) *[]uint64 {
	buf := candidateBits.Get().(*[]uint64)
	if need := (n + 63) / 64; cap(*buf) < need {
		*buf = make([]uint64, need)
	}
	*buf = (*buf)[:(n+63)/64]
	return buf
}

// putBits zeroes the bitmap and puts it back in the pool.
func putBits(buf *[]uint64) {
	clear(*buf)
	candidateBits.Put(buf)
}

// keepFirst inserts x into top, which is sorted by cmp and holds at most n items, dropping the last when full.
func keepFirst[T any](top []*T, x *T, n int, cmp func(a, b *T) int) []*T {
	if len(top) == n && cmp(x, top[n-1]) >= 0 {
		return top
	}
	i, _ := slices.BinarySearchFunc(top, x, cmp)
	if len(top) == n {
		top = top[:n-1]
	}
	return slices.Insert(top, i, x)
}

// ownHoldEnded reports whether one of the holds kept with the vehicle's record (the exclusive ones) has an end at
// or before now.
func ownHoldEnded(v *catalog.Vehicle, now time.Time) bool {
	for _, r := range v.Reservations {
		if !r.Until.IsZero() && !r.Until.After(now) {
			return true
		}
	}
	return false
}

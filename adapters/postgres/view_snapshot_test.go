package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pair is two dealers that renamePair renames together, in one transaction: A-n and B-n.
type pair struct {
	db   *postgres.DB
	ctx  context.Context
	a, b crm.ID
}

func newPair(t *testing.T, db *postgres.DB) pair {
	ctx, a := adaptertest.NewDealer(t, db, "A-0")
	_, b := adaptertest.NewDealer(t, db, "B-0")
	return pair{db: db, ctx: ctx, a: a.ID, b: b.ID}
}

// rename gives both dealers generation n in one read-write unit of work (another connection than a read's).
func (p pair) rename(n int) error {
	return crm.NewUnit[crm.Stores](p.db, nil).Update(p.ctx, func(ctx context.Context, s crm.Stores) error {
		for _, id := range []crm.ID{p.a, p.b} {
			cur, err := s.Dealers().Get(ctx, id)
			if err != nil {
				return err
			}
			cur.Name = fmt.Sprintf("%s-%d", cur.Name[:1], n)
			if err := s.Dealers().Update(ctx, &cur); err != nil {
				return err
			}
		}
		return nil
	})
}

// read reads A in one statement, calls between (on fn's first run only), then reads B in another, in one View
// (always from this one place: one call site, one thing the DB learns). It returns the two generations read and
// how many times fn ran.
func (p pair) read(between func() error) (a, b string, passes int, err error) {
	err = crm.NewUnit[crm.Stores](p.db, nil).View(p.ctx, func(ctx context.Context, s crm.Stores) error {
		passes++
		ga, err := s.Dealers().Get(ctx, p.a)
		if err != nil {
			return err
		}
		if passes == 1 && between != nil {
			if err := between(); err != nil {
				return err
			}
		}
		gb, err := s.Dealers().Get(ctx, p.b)
		if err != nil {
			return err
		}
		a, b = ga.Name[2:], gb.Name[2:]
		return nil
	})
	return a, b, passes, err
}

// A View of two statements sees one snapshot: a change of both rows committed by another connection between
// them is seen by both reads or by neither — never the first row old and the second new — on whichever driver
// pgtest connects through (lib/pq by default, pgx with DEALERCRM_TEST_DRIVER=pgx).
func TestViewIsOneSnapshot(t *testing.T) {
	p := newPair(t, pgtest.Open(t))
	for i, c := range []struct {
		a, b   string
		passes int
	}{
		{"1", "1", 2}, // not known yet: the first run read A outside the snapshot; the read ran again, after the change
		{"1", "1", 1}, // known: the snapshot began at A's read, before the change to generation 2
		{"2", "2", 1},
	} {
		a, b, passes, err := p.read(func() error { return p.rename(i + 1) })
		require.NoError(t, err)
		assert.Equal(t, c.a+"/"+c.b, a+"/"+b, "call %d: one snapshot", i)
		assert.Equal(t, c.passes, passes, "call %d: runs of fn", i)
	}
}

// Many first calls of the same multi-statement View at once, while both rows keep changing: every call returns
// both rows of one generation (each one that ran split ran again in a snapshot), and afterwards the View is known.
func TestViewIsOneSnapshotConcurrently(t *testing.T) {
	p := newPair(t, pgtest.Open(t))
	stop := make(chan struct{})
	renamed := make(chan error, 1)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				renamed <- nil
				return
			default:
			}
			n++
			if err := p.rename(n); err != nil {
				renamed <- err
				return
			}
		}
	}()
	type result struct {
		a, b   string
		passes int
		err    error
	}
	// wave starts n readers at once, all from one call site, and returns what they read
	wave := func(n int) []result {
		var wg sync.WaitGroup
		results := make([]result, n)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				var r result
				r.a, r.b, r.passes, r.err = p.read(func() error { return nil })
				results[i] = r
			})
		}
		close(start)
		wg.Wait()
		return results
	}
	results := wave(16)
	close(stop)
	require.NoError(t, <-renamed)
	for i, r := range results {
		require.NoError(t, r.err, "reader %d", i)
		assert.Equal(t, r.a, r.b, "reader %d: one snapshot", i)
		assert.LessOrEqual(t, r.passes, 2, "reader %d: fn runs at most twice", i)
	}
	last := wave(1)[0]
	require.NoError(t, last.err)
	assert.Equal(t, 1, last.passes, "known after the first calls")
}

// What the wire carries (lib/pq): a multi-statement View the first time (its first statement outside, the rest
// in a transaction, then all of it again in one), and once known (BEGIN before its first statement: the same
// round trips as today's lazy begin); a one-statement View is one statement.
func TestViewRoundTrips(t *testing.T) {
	db, trips := pgtest.OpenCountingOn(t, "pq")
	p := newPair(t, db)
	for range 3 { // each connection prepares a statement the first time it runs it (postgres.PreparingConnector)
		_, _, _, err := p.read(nil) // another call site than the loop's below: the DB learns this one, not that
		require.NoError(t, err)
	}
	for i, c := range []struct {
		count, passes int
		simple        []string // the statements sent as simple queries (BEGIN, COMMIT); the reads are not listed
	}{
		{8, 2, []string{rr, "COMMIT", rr, "COMMIT"}}, // A outside; BEGIN, B, COMMIT; then BEGIN, A, B, COMMIT
		{4, 1, []string{rr, "COMMIT"}},               // BEGIN, A, B, COMMIT (before: A outside, BEGIN, B, COMMIT)
		{4, 1, []string{rr, "COMMIT"}},
	} {
		trips.Reset()
		_, _, passes, err := p.read(nil)
		require.NoError(t, err)
		assert.Equal(t, c.count, trips.Count(), "call %d: round trips", i)
		assert.Equal(t, c.passes, passes, "call %d: runs of fn", i)
		assert.Equal(t, c.simple, trips.Statements(), "call %d", i)
	}
}

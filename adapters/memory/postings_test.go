package memory

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPostingsAgreeWithASet adds and drops random car numbers in a posting list, while the dealer's number of
// cars grows, and after every step compares it with a plain set: the count, each number's presence (has), the
// numbers in order (the list, or the bitmap's bits), and the form (a bitmap only from 64 cars and a 64th of the
// dealer's cars, a list below a 32nd once it has 64). Undoing the steps in reverse (as a rollback does) gives back
// the set of each step.
func TestPostingsAgreeWithASet(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 16))
	for round := range 16 {
		var p postings
		set := map[uint32]bool{}
		cars := 1 + rng.IntN(64)
		span := 1 + rng.IntN(5000) // numbers drawn below min(span, cars): dense or sparse lists
		type step struct {
			n     uint32
			added bool
			cars  int
		}
		var steps []step
		var history []map[uint32]bool
		check := func(at string) {
			t.Helper()
			want := make([]uint32, 0, len(set))
			for n := range set {
				want = append(want, n)
			}
			slices.Sort(want)
			got := p.list
			if p.bits != nil {
				if p.list != nil {
					t.Fatalf("round %d %s: both forms", round, at)
				}
				got = appendBits(nil, p.bits)
			}
			if p.n != len(want) || !slices.Equal(got, want) {
				t.Fatalf("round %d %s: %d numbers %v, want %d %v", round, at, p.n, got, len(want), want)
			}
			for range 20 {
				n := uint32(rng.IntN(cars + 64))
				if p.has(n) != set[n] {
					t.Fatalf("round %d %s: has(%d) = %v", round, at, n, !set[n])
				}
			}
		}
		for i := range 2000 {
			if rng.IntN(3) == 0 {
				cars += rng.IntN(8)
			}
			n := uint32(rng.IntN(min(span, cars)))
			if i >= 1000 && rng.IntN(2) == 0 {
				for m := range set { // a member (the map's order is random): the list shrinks to a few
					n = m
					break
				}
			}
			var changed bool
			if rng.IntN(10) < 8 == (i < 1000) { // mostly adds, then mostly drops: both forms, both ways
				changed = p.add(n, cars)
				if changed != !set[n] {
					t.Fatalf("round %d step %d: add(%d) = %v with it there: %v", round, i, n, changed, set[n])
				}
				set[n] = true
			} else {
				changed = p.drop(n, cars)
				if changed != set[n] {
					t.Fatalf("round %d step %d: drop(%d) = %v with it there: %v", round, i, n, changed, set[n])
				}
				delete(set, n)
			}
			if p.bits == nil && p.n >= 64 && 32*p.n >= cars {
				t.Fatalf("round %d step %d: a list of %d of %d cars", round, i, p.n, cars)
			}
			if changed {
				steps = append(steps, step{n, set[n], cars})
				history = append(history, clone(set))
			}
			check("after step")
		}
		for i := len(steps) - 1; i >= 0; i-- { // undo, as Tx.rollback runs the undo list
			if set = history[i]; !set[steps[i].n] == steps[i].added {
				t.Fatalf("round %d: history %d", round, i)
			}
			check("before undo")
			if steps[i].added {
				p.drop(steps[i].n, steps[i].cars)
				delete(set, steps[i].n)
			} else {
				p.add(steps[i].n, steps[i].cars)
				set[steps[i].n] = true
			}
		}
		set = map[uint32]bool{}
		check("all undone")
	}
}

func clone(m map[uint32]bool) map[uint32]bool {
	c := make(map[uint32]bool, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

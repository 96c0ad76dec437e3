package crm

import (
	"fmt"
	"sync"
	"testing"
)

// TestRevocationsSince: the record hands each revocation after the count seen, once, and asks the caller to
// forget everything when it fell more than keptRevocations behind or holds a count the record never reached.
func TestRevocationsSince(t *testing.T) {
	var r Revocations // the zero value is ready
	if r.Count() != 0 {
		t.Fatalf("a fresh record counts %d", r.Count())
	}
	seen := r.Count()
	r.NoteKeyRevoked("a")
	r.NoteKeyRevoked("b")
	var got []string
	n, all := r.Since(seen, func(h string) { got = append(got, h) })
	if all || n != seen+2 || n != r.Count() || fmt.Sprint(got) != "[a b]" {
		t.Fatalf("got %v, all %v, n %d (seen %d)", got, all, n, seen)
	}
	if n2, all := r.Since(n, func(h string) { t.Errorf("forgot %s again", h) }); all || n2 != n {
		t.Fatalf("nothing new: n %d, all %v", n2, all)
	}
	if _, all := r.Since(n+1, func(h string) { t.Errorf("forgot %s from a count ahead", h) }); !all {
		t.Fatal("a count ahead of the record: all must be forgotten")
	}
	for i := 0; i <= keptRevocations; i++ {
		r.NoteKeyRevoked(fmt.Sprint(i))
	}
	if _, all := r.Since(n, func(h string) { t.Errorf("forgot %s one by one", h) }); !all {
		t.Fatal("more than the record keeps: all must be forgotten")
	}
	got = got[:0]
	if _, all := r.Since(r.Count()-keptRevocations, func(h string) { got = append(got, h) }); all ||
		len(got) != keptRevocations || got[0] != "1" || got[keptRevocations-1] != fmt.Sprint(keptRevocations) {
		t.Fatalf("exactly what the record keeps: all %v, %d hashes from %v", all, len(got), got[:1])
	}
}

// TestRevocationsAreIndependent: two records (two deployments in one process) do not share revocations.
func TestRevocationsAreIndependent(t *testing.T) {
	var a, b Revocations
	a.NoteKeyRevoked("a")
	if b.Count() != 0 {
		t.Fatalf("b counts %d after a revocation noted in a", b.Count())
	}
	if n, all := b.Since(0, func(h string) { t.Errorf("b forgot %s", h) }); all || n != 0 {
		t.Fatalf("b: n %d, all %v", n, all)
	}
}

// TestRevocationsConcurrent: notes and reads from many goroutines lose no revocation (run with -race).
func TestRevocationsConcurrent(t *testing.T) {
	var r Revocations
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				r.NoteKeyRevoked(fmt.Sprint(g, ".", i))
			}
		}()
		go func() {
			defer wg.Done()
			var seen uint64
			for i := 0; i < 20; i++ {
				if r.Count() != seen {
					seen, _ = r.Since(seen, func(string) {})
				}
			}
		}()
	}
	wg.Wait()
	got := map[string]bool{}
	if _, all := r.Since(0, func(h string) { got[h] = true }); all || len(got) != 160 {
		t.Fatalf("all %v, %d distinct hashes of 160", all, len(got))
	}
}

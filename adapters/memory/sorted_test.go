package memory

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortedListAgreesWithASortedSlice inserts and removes random values, enough to split and drop chunks, and
// checks every walk from every pivot against a sorted slice.
func TestSortedListAgreesWithASortedSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 6))
	l := &sortedList[int]{cmp: func(a, b *int) int { return cmp.Compare(*a, *b) }}
	var ref []int
	in := map[int]bool{}
	for step := range 6000 {
		x := rng.IntN(3000)
		if in[x] {
			if !l.remove(&x) {
				t.Fatalf("step %d: remove(%d) found nothing", step, x)
			}
			i, _ := slices.BinarySearch(ref, x)
			ref = slices.Delete(ref, i, i+1)
		} else {
			l.insert(x)
			i, _ := slices.BinarySearch(ref, x)
			ref = slices.Insert(ref, i, x)
		}
		in[x] = !in[x]
		if step%500 != 0 {
			continue
		}
		if l.n != len(ref) {
			t.Fatalf("step %d: n = %d, want %d", step, l.n, len(ref))
		}
		for _, c := range l.chunks {
			if len(c) == 0 || len(c) > chunkOf[int]() {
				t.Fatalf("step %d: a chunk of %d", step, len(c))
			}
		}
		for _, p := range []int{-1, 0, 1, 1499, 1500, 2999, 3000} {
			var up, down []int
			l.ascend(&p, func(v *int) bool { up = append(up, *v); return true })
			l.descend(&p, func(v *int) bool { down = append(down, *v); return true })
			i, found := slices.BinarySearch(ref, p)
			j := i
			if found {
				j++
			}
			if !slices.Equal(up, ref[j:]) && !(len(up) == 0 && len(ref[j:]) == 0) {
				t.Fatalf("step %d: ascend after %d: %v…, want %v…", step, p, up[:min(5, len(up))], ref[j:min(j+5, len(ref))])
			}
			want := slices.Clone(ref[:i])
			slices.Reverse(want)
			if !slices.Equal(down, want) && !(len(down) == 0 && len(want) == 0) {
				t.Fatalf("step %d: descend before %d: %d values, want %d", step, p, len(down), len(want))
			}
		}
		var all []int
		l.ascend(nil, func(v *int) bool { all = append(all, *v); return true })
		if !slices.Equal(all, ref) && len(ref) > 0 {
			t.Fatalf("step %d: ascend from the start differs", step)
		}
		var back []int
		l.descend(nil, func(v *int) bool { back = append(back, *v); return len(back) < 3 })
		if len(ref) >= 3 && !slices.Equal(back, []int{ref[len(ref)-1], ref[len(ref)-2], ref[len(ref)-3]}) {
			t.Fatalf("step %d: descend from the end: %v", step, back)
		}
	}
	var empty sortedList[int]
	empty.cmp = l.cmp
	p := 1
	empty.ascend(&p, func(*int) bool { t.Fatal("an empty list has no entry"); return false })
	empty.descend(&p, func(*int) bool { t.Fatal("an empty list has no entry"); return false })
}

package postgres

import (
	"testing"
)

// The table keeps what it learns, tells keys apart, and a key that finds no room is taken as multi-statement (it
// then begins its transaction at its first statement instead of running twice at every call).
func TestReadShapes(t *testing.T) {
	var r readShapes
	k := uint64(1<<63 | 5)
	if r.isMulti(k) {
		t.Fatal("unknown key reported multi")
	}
	r.learnMulti(k)
	r.learnMulti(k)
	if !r.isMulti(k) || r.isMulti(k+readShapeSlots) {
		t.Fatal("learnt key not kept, or another key of the same slot taken for it")
	}
	for i := range uint64(readShapeProbes) { // fill the probe window of slot 7
		r.learnMulti(1<<63 | (7 + i*readShapeSlots))
	}
	full := uint64(1<<63 | (7 + readShapeProbes*readShapeSlots))
	r.learnMulti(full)
	if !r.isMulti(full) {
		t.Fatal("a key without room reported unknown: it would run twice at every call")
	}
}

// Two call sites have two keys; one call site, one key.
func TestReadKeyIsTheCallSite(t *testing.T) {
	keyOf := func() uint64 { return viaTransact() }
	var keys []uint64
	for range 2 {
		keys = append(keys, keyOf())
	}
	other := keyOf()
	if keys[0] != keys[1] {
		t.Fatal("one call site, two keys")
	}
	if other == keys[0] {
		t.Fatal("two call sites, one key")
	}
}

// viaTransact stands for DB.Transact: readKey skips its own frame and the one of its caller.
//
//go:noinline
func viaTransact() uint64 { return readKey() }

func BenchmarkReadKey(b *testing.B) {
	for b.Loop() {
		_ = viaTransact()
	}
}

package postgres

import (
	"runtime"
	"sync/atomic"
)

// readShapes is what a DB has learnt of its read-only units of work: which of them sent more than one statement.
// A unit is known by where it is called from (readKey) and the text of its first statement (shapeKey): the
// function literal at a call site determines the statements it sends, and the first statement tells apart the
// paths of one that depends on what it finds or remembers (the notify service reads the dealer's settings only
// for the first message of a relay run: that read is followed by others, the next messages' one read of the lead
// is not). A path that reads one statement or several depending on the data (an early return on a missing
// record) is known as multi-statement, and its one-statement runs pay a BEGIN and a COMMIT. The set is a fixed
// table of readShapeSlots keys (32 KiB), filled without locks and never emptied; a unit whose key finds its probe
// window full of other keys is taken as multi-statement (it pays a BEGIN and a COMMIT if it reads one statement,
// and never runs twice), so a full table costs round trips, never second runs on every call (DB.view).
type readShapes struct {
	multi [readShapeSlots]atomic.Uint64
}

const (
	readShapeSlots  = 4096
	readShapeProbes = 8 // slots looked at from a key's own before it is taken as absent (or not kept)
)

// isMulti reports whether the unit known by k was seen to send more than one statement, or cannot be told: its
// probe window is full of other keys, so that it could not be kept if it were learnt.
func (r *readShapes) isMulti(k uint64) bool {
	for i := range uint64(readShapeProbes) {
		switch r.multi[(k+i)%readShapeSlots].Load() {
		case k:
			return true
		case 0:
			return false
		}
	}
	return true
}

// learnMulti records that the unit known by k sends more than one statement.
func (r *readShapes) learnMulti(k uint64) {
	for i := range uint64(readShapeProbes) {
		s := &r.multi[(k+i)%readShapeSlots]
		if s.CompareAndSwap(0, k) || s.Load() == k {
			return
		}
	}
}

// readKeyFrames is how many callers of DB.Transact make a read's key: crm's unit of work (its run and View, and
// a method value's wrapper when a View is called through one), the function that called View, and enough above
// it that a helper wrapping View for a whole package (catalog's view, the HTTP layer's documents) still tells its
// callers apart.
const readKeyFrames = 6

// readKey returns the call site of the read-only unit of work being started: a hash of the return addresses of
// the callers of DB.Transact. Two calls from the same place share it; a function passed to View through a
// variable from one place shares that place's with every other it is given (harmless: a key only decides whether
// the first statement begins the snapshot, never whether the read is one). It costs a partial stack walk, about
// 0.2 µs.
func readKey() uint64 {
	var pcs [readKeyFrames]uintptr
	n := runtime.Callers(3, pcs[:]) // 0 Callers, 1 readKey, 2 DB.Transact, 3 its caller
	h := uint64(14695981039346656037)
	for _, pc := range pcs[:n] {
		h ^= uint64(pc)
		h *= 1099511628211
	}
	return h
}

// shapeKey returns the readShapes key of a unit called from site whose first statement's text is text (the
// number selectText gives it): never 0.
func shapeKey(site, text uint64) uint64 {
	h := site ^ text*0x9e3779b97f4a7c15
	h ^= h >> 33 // the multiplications carry only upwards: mix the high bits into the low ones, which pick the slot
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h | 1<<63
}

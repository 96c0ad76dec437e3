package memory

import (
	"slices"
	"sort"
	"unsafe"
)

// sortedChunk is the largest chunk of a sortedList of small values: an insert or a delete moves at most this many
// entries, and a seek is two binary searches. Lists of larger values use smaller chunks (chunkOf), so that a
// chunk stays about 16 KiB.
const sortedChunk = 256

// chunkOf is the largest chunk of a sortedList of V.
func chunkOf[V any]() int {
	var v V
	return max(16, min(sortedChunk, 16<<10/max(1, int(unsafe.Sizeof(v)))))
}

// sortedList is an ordered set of values kept in chunks of at most sortedChunk entries (each chunk sorted, and
// every entry of a chunk before every entry of the next): inserting, removing and seeking cost O(log n +
// sortedChunk) whatever the size. cmp must be a total order (ties broken by ID), so an entry is found again by
// its value. It is changed in place under the DB's write lock; the caller records the undo.
type sortedList[V any] struct {
	cmp    func(a, b *V) int
	chunks [][]V
	n      int
}

// seek returns the position of the first entry not before x (ci == len(chunks) when every entry is before x).
func (l *sortedList[V]) seek(x *V) (ci, i int) {
	ci = sort.Search(len(l.chunks), func(c int) bool {
		ch := l.chunks[c]
		return l.cmp(&ch[len(ch)-1], x) >= 0
	})
	if ci == len(l.chunks) {
		return ci, 0
	}
	ch := l.chunks[ci]
	return ci, sort.Search(len(ch), func(j int) bool { return l.cmp(&ch[j], x) >= 0 })
}

// insert adds x (which must not be in the list).
func (l *sortedList[V]) insert(x V) {
	l.n++
	if len(l.chunks) == 0 {
		l.chunks = [][]V{{x}}
		return
	}
	ci, i := l.seek(&x)
	if ci == len(l.chunks) { // after every entry: append to the last chunk
		ci = len(l.chunks) - 1
		i = len(l.chunks[ci])
	}
	ch := slices.Insert(l.chunks[ci], i, x)
	if len(ch) <= chunkOf[V]() {
		l.chunks[ci] = ch
		return
	}
	half := len(ch) / 2
	right := append(make([]V, 0, len(ch)), ch[half:]...)
	l.chunks[ci] = ch[:half]
	l.chunks = slices.Insert(l.chunks, ci+1, right)
}

// remove deletes the entry equal to x; it reports whether there was one.
func (l *sortedList[V]) remove(x *V) bool {
	ci, i := l.seek(x)
	if ci == len(l.chunks) || l.cmp(&l.chunks[ci][i], x) != 0 {
		return false
	}
	l.n--
	ch := slices.Delete(l.chunks[ci], i, i+1)
	if len(ch) == 0 {
		l.chunks = slices.Delete(l.chunks, ci, ci+1)
		return true
	}
	l.chunks[ci] = ch
	return true
}

// ascend calls fn with each entry after after (nil: from the first), in order, until fn returns false.
func (l *sortedList[V]) ascend(after *V, fn func(*V) bool) {
	ci, i := 0, 0
	if after != nil {
		ci, i = l.seek(after)
		if ci < len(l.chunks) && l.cmp(&l.chunks[ci][i], after) == 0 {
			i++
		}
	}
	for ; ci < len(l.chunks); ci, i = ci+1, 0 {
		ch := l.chunks[ci]
		for ; i < len(ch); i++ {
			if !fn(&ch[i]) {
				return
			}
		}
	}
}

// descend calls fn with each entry before before (nil: from the last), in reverse order, until fn returns false.
func (l *sortedList[V]) descend(before *V, fn func(*V) bool) {
	if len(l.chunks) == 0 {
		return
	}
	ci := len(l.chunks) - 1
	i := len(l.chunks[ci]) - 1
	if before != nil {
		ci, i = l.seek(before) // the first entry not before it; start just before that
		i--
		if ci == len(l.chunks) {
			ci--
			i = len(l.chunks[ci]) - 1
		}
	}
	for ci >= 0 {
		ch := l.chunks[ci]
		for ; i >= 0; i-- {
			if !fn(&ch[i]) {
				return
			}
		}
		ci--
		if ci >= 0 {
			i = len(l.chunks[ci]) - 1
		}
	}
}

package boundedmap

import (
	"fmt"
	"sync"
	"testing"
)

// TestMapMakesRoomInsteadOfEmptying: a full map drops its stale entries, then arbitrary ones down to half, and
// keeps the new one; setting a key it has never makes room.
func TestMapMakesRoomInsteadOfEmptying(t *testing.T) {
	m := New(10, func(k string, v int) bool { return v < 0 })
	for i := 0; i < 4; i++ {
		m.Put(fmt.Sprint("stale ", i), -1)
	}
	for i := 0; i < 6; i++ {
		m.Put(fmt.Sprint("fresh ", i), i)
	}
	if m.Len() != 10 || m.Max() != 10 {
		t.Fatalf("len %d, max %d", m.Len(), m.Max())
	}
	m.Put("fresh 0", 100) // a key it has: no room made
	if v, ok := m.Get("fresh 0"); !ok || v != 100 || m.Len() != 10 {
		t.Fatalf("fresh 0: %d %v, len %d", v, ok, m.Len())
	}
	m.Put("one more", 7)
	if m.Len() != 6 {
		t.Fatalf("the 4 stale entries dropped, then 1 arbitrary one down to half, then the new one: len %d", m.Len())
	}
	for i := 0; i < 4; i++ {
		if _, ok := m.Get(fmt.Sprint("stale ", i)); ok {
			t.Errorf("stale %d kept", i)
		}
	}
	if v, ok := m.Get("one more"); !ok || v != 7 {
		t.Fatalf("the new entry: %d %v", v, ok)
	}
	for i := 0; m.Len() < 10; i++ {
		m.Put(fmt.Sprint("more ", i), i)
	}
	m.Put("past full", 1)
	if _, ok := m.Get("past full"); !ok || m.Len() != 6 {
		t.Fatalf("none stale: down to half and the new one: len %d", m.Len())
	}
	m.Delete("past full")
	if _, ok := m.Get("past full"); ok || m.Len() != 5 {
		t.Fatalf("Delete: len %d", m.Len())
	}
	m.Clear()
	if m.Len() != 0 {
		t.Fatalf("Clear: len %d", m.Len())
	}
}

// TestNewKeepsAtLeastTwo: a map of fewer than 2 entries would make room by emptying itself.
func TestNewKeepsAtLeastTwo(t *testing.T) {
	m := New[int, int](0, nil)
	m.Put(1, 1)
	m.Put(2, 2)
	m.Put(3, 3)
	if m.Max() != 2 || m.Len() != 2 {
		t.Fatalf("max %d, len %d", m.Max(), m.Len())
	}
	if _, ok := m.Get(3); !ok {
		t.Fatal("the new entry is kept")
	}
}

// TestSyncConcurrent: many goroutines reading and writing never find the map past its bound nor lose the entry
// they just put while it is not full (run with -race).
func TestSyncConcurrent(t *testing.T) {
	s := NewSync[string, int](64, nil)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				k := fmt.Sprint(g, ".", i%100)
				s.Put(k, i)
				s.Get(k)
				if i%7 == 0 {
					s.Delete(k)
				}
				if n := s.Len(); n > 64 {
					t.Errorf("%d entries", n)
					return
				}
			}
		}()
	}
	wg.Wait()
	s.Put("last", 1)
	if v, ok := s.Get("last"); !ok || v != 1 {
		t.Fatalf("last: %d %v", v, ok)
	}
}

// BenchmarkSyncGet is a hit: one lock and one map lookup, no allocation.
func BenchmarkSyncGet(b *testing.B) {
	s := NewSync[string, int](1024, nil)
	s.Put("GET", 1)
	b.ReportAllocs()
	for b.Loop() {
		s.Get("GET")
	}
}

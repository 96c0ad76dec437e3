// Package boundedmap is a map that keeps at most a given number of entries and, when a new one finds it full,
// makes room instead of emptying itself: it drops the entries its owner calls stale, then arbitrary ones until
// half of it is left. One such drop runs at most once per max/2 new entries, so its cost per entry is constant,
// and the entries most in use come back at their next miss instead of all at once.
//
// Map is not synchronized (its owner guards it, with whatever else the lock covers); Sync is a Map behind a
// mutex, for an owner with nothing else to guard.
package boundedmap

import "sync"

// Map is a map of at most Max() entries (see the package doc). The zero value is not usable: make one with New.
type Map[K comparable, V any] struct {
	m   map[K]V
	max int
	// stale tells the entries to drop first when the map is full (nil: none); see New.
	stale func(K, V) bool
}

// New returns an empty map of at most n entries (at least 2). When a Put finds it full, the entries for which
// stale returns true are dropped first (stale may be nil).
func New[K comparable, V any](n int, stale func(K, V) bool) *Map[K, V] {
	return &Map[K, V]{m: map[K]V{}, max: max(n, 2), stale: stale}
}

// Get returns k's value and whether the map has it.
func (m *Map[K, V]) Get(k K) (V, bool) {
	v, ok := m.m[k]
	return v, ok
}

// Put sets k's value, making room first when k is new and the map is full: the stale entries are dropped, then
// arbitrary ones until at most half of Max() are left.
func (m *Map[K, V]) Put(k K, v V) {
	if len(m.m) >= m.max {
		if _, ok := m.m[k]; !ok {
			m.makeRoom()
		}
	}
	m.m[k] = v
}

// makeRoom drops the stale entries, then arbitrary ones until at most half of max are left.
func (m *Map[K, V]) makeRoom() {
	if m.stale != nil {
		for k, v := range m.m {
			if m.stale(k, v) {
				delete(m.m, k)
			}
		}
	}
	for k := range m.m {
		if len(m.m) <= m.max/2 {
			break
		}
		delete(m.m, k)
	}
}

// Delete drops k's entry, if any.
func (m *Map[K, V]) Delete(k K) { delete(m.m, k) }

// Clear drops every entry.
func (m *Map[K, V]) Clear() { clear(m.m) }

// Len returns how many entries the map has.
func (m *Map[K, V]) Len() int { return len(m.m) }

// Max returns how many entries the map keeps at most.
func (m *Map[K, V]) Max() int { return m.max }

// Sync is a Map behind a mutex, safe for concurrent use.
type Sync[K comparable, V any] struct {
	mu sync.Mutex
	m  Map[K, V]
}

// NewSync returns an empty Sync of at most n entries that drops the stale ones first (New).
func NewSync[K comparable, V any](n int, stale func(K, V) bool) *Sync[K, V] {
	return &Sync[K, V]{m: *New(n, stale)}
}

// Get returns k's value and whether the map has it.
func (s *Sync[K, V]) Get(k K) (V, bool) {
	s.mu.Lock()
	v, ok := s.m.Get(k)
	s.mu.Unlock()
	return v, ok
}

// Put sets k's value, making room when the map is full (Map.Put).
func (s *Sync[K, V]) Put(k K, v V) {
	s.mu.Lock()
	s.m.Put(k, v)
	s.mu.Unlock()
}

// Delete drops k's entry, if any.
func (s *Sync[K, V]) Delete(k K) {
	s.mu.Lock()
	s.m.Delete(k)
	s.mu.Unlock()
}

// Range calls f with each entry until f returns false, with the map locked: f must not call the map.
func (s *Sync[K, V]) Range(f func(K, V) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.m.m {
		if !f(k, v) {
			return
		}
	}
}

// Len returns how many entries the map has.
func (s *Sync[K, V]) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.Len()
}

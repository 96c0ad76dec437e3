package httpapi

import (
	"context"
	"sync"
	"time"
)

// DefaultIdempotencyTTL is how long a stored response is replayed.
const DefaultIdempotencyTTL = 24 * time.Hour

// MemoryIdempotencyStore keeps idempotency records in memory for one process. Records older than its lifetime
// (by the time the caller passes) are ignored and swept. Safe for concurrent use.
type MemoryIdempotencyStore struct {
	ttl     time.Duration
	mu      sync.Mutex
	records map[IdempotencyKey]IdempotencyRecord
	sweep   time.Time
}

// NewMemoryIdempotencyStore returns an empty store whose records live for ttl (DefaultIdempotencyTTL when 0).
func NewMemoryIdempotencyStore(ttl time.Duration) *MemoryIdempotencyStore {
	if ttl <= 0 {
		ttl = DefaultIdempotencyTTL
	}
	return &MemoryIdempotencyStore{ttl: ttl, records: map[IdempotencyKey]IdempotencyRecord{}}
}

// Begin claims key unless a live record exists; see IdempotencyStore.
func (s *MemoryIdempotencyStore) Begin(_ context.Context, key IdempotencyKey, fingerprint string, now time.Time) (IdempotencyRecord, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepExpired(now)
	if rec, ok := s.records[key]; ok && now.Sub(rec.CreatedAt) < s.ttl {
		return copyRecord(rec), false, nil
	}
	s.records[key] = IdempotencyRecord{Fingerprint: fingerprint, Pending: true, CreatedAt: now}
	return IdempotencyRecord{}, true, nil
}

// Complete stores the response under key.
func (s *MemoryIdempotencyStore) Complete(_ context.Context, key IdempotencyKey, resp StoredResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.records[key]
	if !ok {
		return nil
	}
	rec.Pending = false
	rec.Response = StoredResponse{Status: resp.Status, Header: resp.Header.Clone(), Body: append([]byte(nil), resp.Body...)}
	s.records[key] = rec
	return nil
}

// Release forgets a pending claim.
func (s *MemoryIdempotencyStore) Release(_ context.Context, key IdempotencyKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.records[key]; ok && rec.Pending {
		delete(s.records, key)
	}
	return nil
}

// Len returns how many records are held (live or not yet swept).
func (s *MemoryIdempotencyStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.records)
}

// sweepExpired drops expired records at most once a minute of the caller's clock.
func (s *MemoryIdempotencyStore) sweepExpired(now time.Time) {
	if now.Sub(s.sweep) < time.Minute {
		return
	}
	s.sweep = now
	for k, rec := range s.records {
		if now.Sub(rec.CreatedAt) >= s.ttl {
			delete(s.records, k)
		}
	}
}

func copyRecord(rec IdempotencyRecord) IdempotencyRecord {
	rec.Response.Header = rec.Response.Header.Clone()
	rec.Response.Body = append([]byte(nil), rec.Response.Body...)
	return rec
}

// Package idempotencytest is the contract every httpapi.IdempotencyStore meets: run it from the store's tests,
//
//	func TestIdempotencyStoreContract(t *testing.T) {
//		idempotencytest.Run(t, func(t *testing.T, lifetime time.Duration) httpapi.IdempotencyStore {
//			return httpapi.NewMemoryIdempotencyStore(lifetime)
//		})
//	}
//
// Every case uses keys of fresh random dealers and users, so a NewStore may hand out stores over one shared
// database.
package idempotencytest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// NewStore returns a store whose records live for lifetime.
type NewStore func(t *testing.T, lifetime time.Duration) httpapi.IdempotencyStore

// Epoch is the time of the first Begin of every case.
var Epoch = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// lifetime is the lifetime of the stores the cases make.
const lifetime = time.Hour

// Goroutines is how many concurrent Begin calls the concurrency cases make.
const Goroutines = 50

// NewKey returns key name of a fresh dealer and user.
func NewKey(name string) httpapi.IdempotencyKey {
	return httpapi.IdempotencyKey{DealerID: crm.NewID(), UserID: crm.NewID(), Key: name}
}

// Run runs the contract against the stores newStore makes.
func Run(t *testing.T, newStore NewStore) {
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(ctx, t, newStore(t, lifetime)) })
	}
}

// testCase is one property of the contract.
type testCase struct {
	name string
	run  func(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore)
}

var cases = []testCase{
	{"BeginClaimsAnAbsentKeyOnce", beginClaimsOnce},
	{"CompleteStoresTheResponse", completeStores},
	{"ResponsesKeepBinaryBodiesAndEmptyParts", binaryAndEmpty},
	{"KeysArePerDealerUserAndName", keysAreSeparate},
	{"RecordsExpireAfterTheLifetime", recordsExpire},
	{"ReleaseForgetsOnlyAPendingClaim", releasePending},
	{"CompleteOrReleaseOfAnAbsentKeyIsANoOp", absentKeyNoOp},
	{"ConcurrentBeginsOfAnAbsentKeyClaimOnce", func(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
		concurrentBegins(ctx, t, s, NewKey("race"), Epoch)
	}},
	{"ConcurrentBeginsOfAnExpiredKeyClaimOnce", concurrentExpired},
	{"ConcurrentBeginsOfDistinctKeysAllClaim", concurrentDistinct},
}

func beginClaimsOnce(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
	k := NewKey("a")
	rec, claimed, err := s.Begin(ctx, k, "fp", Epoch)
	require.NoError(t, err)
	require.True(t, claimed)
	assert.Zero(t, rec, "a claim returns no record")

	rec, claimed, err = s.Begin(ctx, k, "fp", Epoch.Add(time.Second))
	require.NoError(t, err)
	assert.False(t, claimed)
	assert.True(t, rec.Pending)
	assert.Equal(t, "fp", rec.Fingerprint)
	assert.True(t, rec.CreatedAt.Equal(Epoch), "created at the claim's time, got %v", rec.CreatedAt)
	assert.Zero(t, rec.Response.Status, "a pending record has no response")

	rec, claimed, err = s.Begin(ctx, k, "other", Epoch.Add(time.Second))
	require.NoError(t, err)
	assert.False(t, claimed, "another fingerprint does not claim a live key")
	assert.Equal(t, "fp", rec.Fingerprint, "the first request's fingerprint is kept")
}

func completeStores(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
	k := NewKey("b")
	_, claimed, err := s.Begin(ctx, k, "fp", Epoch)
	require.NoError(t, err)
	require.True(t, claimed)
	header := http.Header{"Etag": {`"1"`}, "Location": {"/api/v1/leads/1"}, "X-Two": {"a", "b"}}
	body := []byte(`{"id":"1","name":"Иван"}`)
	require.NoError(t, s.Complete(ctx, k, httpapi.StoredResponse{Status: 201, Header: header, Body: body}))
	header.Set("Etag", "changed")
	body[0] = 'x'

	rec, claimed, err := s.Begin(ctx, k, "fp", Epoch.Add(time.Minute))
	require.NoError(t, err)
	assert.False(t, claimed)
	assert.False(t, rec.Pending)
	assert.Equal(t, "fp", rec.Fingerprint)
	assert.True(t, rec.CreatedAt.Equal(Epoch), "completing does not move the creation time")
	assert.Equal(t, 201, rec.Response.Status)
	assert.Equal(t, http.Header{"Etag": {`"1"`}, "Location": {"/api/v1/leads/1"}, "X-Two": {"a", "b"}}, rec.Response.Header,
		"the store keeps its own copy of the headers")
	assert.Equal(t, `{"id":"1","name":"Иван"}`, string(rec.Response.Body), "the store keeps its own copy of the body")

	rec.Response.Body[0] = 'y'
	rec.Response.Header.Set("Etag", "mutated")
	rec, _, err = s.Begin(ctx, k, "fp", Epoch.Add(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, `{"id":"1","name":"Иван"}`, string(rec.Response.Body), "callers get copies")
	assert.Equal(t, `"1"`, rec.Response.Header.Get("Etag"), "callers get copies")
}

func binaryAndEmpty(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
	binary := append([]byte("%PDF-1.7\x00\xff\xfe"), bytes.Repeat([]byte{0, 1, 2, 0xfe, 0xff}, 200_000)...)
	for _, c := range []struct {
		name   string
		resp   httpapi.StoredResponse
		header http.Header
		body   []byte
	}{
		{"binary", httpapi.StoredResponse{Status: 200, Header: http.Header{"Content-Type": {"application/pdf"}}, Body: binary},
			http.Header{"Content-Type": {"application/pdf"}}, binary},
		{"no header, no body", httpapi.StoredResponse{Status: 204}, nil, nil},
		{"empty header, empty body", httpapi.StoredResponse{Status: 422, Header: http.Header{}, Body: []byte{}}, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := NewKey(c.name)
			_, claimed, err := s.Begin(ctx, k, "fp", Epoch)
			require.NoError(t, err)
			require.True(t, claimed)
			require.NoError(t, s.Complete(ctx, k, c.resp))
			rec, _, err := s.Begin(ctx, k, "fp", Epoch)
			require.NoError(t, err)
			assert.False(t, rec.Pending)
			assert.Equal(t, c.resp.Status, rec.Response.Status)
			if c.header == nil {
				assert.Empty(t, rec.Response.Header)
			} else {
				assert.Equal(t, c.header, rec.Response.Header)
			}
			if c.body == nil {
				assert.Empty(t, rec.Response.Body)
			} else {
				assert.True(t, bytes.Equal(c.body, rec.Response.Body), "the body comes back byte for byte (%d bytes, got %d)",
					len(c.body), len(rec.Response.Body))
			}
		})
	}
}

func keysAreSeparate(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
	k := NewKey("shared")
	_, claimed, err := s.Begin(ctx, k, "fp", Epoch)
	require.NoError(t, err)
	require.True(t, claimed)
	otherDealer, otherUser, otherName := k, k, k
	otherDealer.DealerID = crm.NewID()
	otherUser.UserID = crm.NewID()
	otherName.Key = "Shared"
	for name, o := range map[string]httpapi.IdempotencyKey{"dealer": otherDealer, "user": otherUser, "name (case matters)": otherName} {
		_, claimed, err := s.Begin(ctx, o, "fp", Epoch)
		require.NoError(t, err)
		assert.True(t, claimed, "another %s is another key", name)
	}
}

func recordsExpire(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
	k := NewKey("c")
	_, claimed, err := s.Begin(ctx, k, "fp", Epoch)
	require.NoError(t, err)
	require.True(t, claimed)
	require.NoError(t, s.Complete(ctx, k, httpapi.StoredResponse{Status: 201, Body: []byte("first")}))

	rec, claimed, err := s.Begin(ctx, k, "fp2", Epoch.Add(lifetime-time.Millisecond))
	require.NoError(t, err)
	assert.False(t, claimed, "live until the lifetime has passed")
	assert.Equal(t, "first", string(rec.Response.Body))

	_, claimed, err = s.Begin(ctx, k, "fp2", Epoch.Add(lifetime))
	require.NoError(t, err)
	assert.True(t, claimed, "expired at exactly the lifetime: re-claimed")
	rec, claimed, err = s.Begin(ctx, k, "fp3", Epoch.Add(lifetime+time.Second))
	require.NoError(t, err)
	assert.False(t, claimed)
	assert.True(t, rec.Pending, "the new claim is pending")
	assert.Equal(t, "fp2", rec.Fingerprint, "with the new request's fingerprint")
	assert.True(t, rec.CreatedAt.Equal(Epoch.Add(lifetime)), "and its time")
	assert.Empty(t, rec.Response.Body, "the old response is gone")

	t.Run("a pending claim expires too", func(t *testing.T) {
		_, claimed, err := s.Begin(ctx, k, "fp4", Epoch.Add(2*lifetime))
		require.NoError(t, err)
		assert.True(t, claimed)
	})
}

func releasePending(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
	k := NewKey("d")
	_, claimed, err := s.Begin(ctx, k, "fp", Epoch)
	require.NoError(t, err)
	require.True(t, claimed)
	require.NoError(t, s.Release(ctx, k))
	_, claimed, err = s.Begin(ctx, k, "fp2", Epoch)
	require.NoError(t, err)
	assert.True(t, claimed, "a released key is claimed again")

	require.NoError(t, s.Complete(ctx, k, httpapi.StoredResponse{Status: 200, Body: []byte("done")}))
	require.NoError(t, s.Release(ctx, k))
	rec, claimed, err := s.Begin(ctx, k, "fp2", Epoch)
	require.NoError(t, err)
	assert.False(t, claimed, "Release keeps a finished record")
	assert.Equal(t, "done", string(rec.Response.Body))
}

func absentKeyNoOp(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
	k := NewKey("e")
	require.NoError(t, s.Complete(ctx, k, httpapi.StoredResponse{Status: 201, Body: []byte("x")}))
	require.NoError(t, s.Release(ctx, k))
	rec, claimed, err := s.Begin(ctx, k, "fp", Epoch)
	require.NoError(t, err)
	assert.True(t, claimed, "Complete of an absent key stores nothing")
	assert.Zero(t, rec)
}

// concurrentBegins makes Goroutines concurrent Begin calls for k at now, each with its own fingerprint, and checks
// that exactly one claims and every other sees the winner's pending record.
func concurrentBegins(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore, k httpapi.IdempotencyKey, now time.Time) {
	type result struct {
		rec     httpapi.IdempotencyRecord
		claimed bool
		err     error
	}
	results := make([]result, Goroutines)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range Goroutines {
		wg.Go(func() {
			<-start
			rec, claimed, err := s.Begin(ctx, k, fmt.Sprintf("fp-%d", i), now)
			results[i] = result{rec, claimed, err}
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, r := range results {
		require.NoError(t, r.err, "goroutine %d", i)
		if r.claimed {
			require.Equal(t, -1, winner, "goroutines %d and %d both claimed", winner, i)
			winner = i
		}
	}
	require.NotEqual(t, -1, winner, "nobody claimed")
	for i, r := range results {
		if i != winner {
			assert.True(t, r.rec.Pending, "goroutine %d sees a pending record", i)
			assert.Equal(t, fmt.Sprintf("fp-%d", winner), r.rec.Fingerprint, "goroutine %d sees the winner's record", i)
		}
	}
}

func concurrentExpired(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
	k := NewKey("expired race")
	_, claimed, err := s.Begin(ctx, k, "old", Epoch)
	require.NoError(t, err)
	require.True(t, claimed)
	require.NoError(t, s.Complete(ctx, k, httpapi.StoredResponse{Status: 201, Body: []byte("old")}))
	concurrentBegins(ctx, t, s, k, Epoch.Add(lifetime+time.Minute))
}

func concurrentDistinct(ctx context.Context, t *testing.T, s httpapi.IdempotencyStore) {
	k := NewKey("")
	errs := make([]error, Goroutines)
	claims := make([]bool, Goroutines)
	var wg sync.WaitGroup
	for i := range Goroutines {
		wg.Go(func() {
			ki := k
			ki.Key = fmt.Sprintf("key-%d", i)
			_, claims[i], errs[i] = s.Begin(ctx, ki, "fp", Epoch)
		})
	}
	wg.Wait()
	for i := range Goroutines {
		require.NoError(t, errs[i])
		assert.True(t, claims[i], "key-%d", i)
	}
}

package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runRelay holds the outbox relay's guarantee: claim with a lease, send outside every transaction, mark under the
// lease's token; retries with backoff, dead letters, reclaimed leases.
func runRelay(t *testing.T, open Open) {
	t.Run("ClaimIsExclusiveWhileLeaseHolds", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		ctxB, _ := NewDealer(t, b, "B")
		ids := enqueueMessages(t, b, ctx, 3)
		enqueueMessages(t, b, ctxB, 1)
		now := Epoch.Add(time.Hour)
		first := crm.Lease{Token: crm.NewID(), Until: now.Add(time.Minute)}
		got := claim(t, b, ctx, first, now, 2)
		require.Len(t, got, 2)
		assert.Equal(t, ids[:2], []crm.ID{got[0].ID, got[1].ID}, "oldest first, at most limit")
		second := crm.Lease{Token: crm.NewID(), Until: now.Add(2 * time.Minute)}
		got = claim(t, b, ctx, second, now.Add(59*time.Second), 10)
		require.Len(t, got, 1, "leased messages are not claimed again while the lease holds")
		assert.Equal(t, ids[2], got[0].ID)

		expired := crm.Lease{Token: crm.NewID(), Until: now.Add(2 * time.Minute)}
		got = claim(t, b, ctx, expired, now.Add(time.Minute), 10)
		require.Len(t, got, 2, "a lease that has run out can be claimed again")
		err := mark(b, ctx, func(ctx context.Context, o crm.OutboxStore) error { return o.MarkSent(ctx, ids[0], first.Token, now) })
		assert.True(t, errors.Is(err, crm.ErrLeaseLost), "the first holder lost its claim: %v", err)
		assert.True(t, errors.Is(err, crm.ErrConflict), "%v", err)
		assert.Equal(t, crm.CodeOutboxLeaseLost, crm.CodeOf(err))
		require.NoError(t, mark(b, ctx, func(ctx context.Context, o crm.OutboxStore) error {
			return o.MarkSent(ctx, ids[0], expired.Token, now.Add(time.Minute))
		}))
		err = mark(b, ctx, func(ctx context.Context, o crm.OutboxStore) error {
			return o.MarkSent(ctx, ids[0], expired.Token, now.Add(time.Minute))
		})
		assert.True(t, errors.Is(err, crm.ErrLeaseLost), "marking ends the lease: %v", err)
		err = mark(b, ctxB, func(ctx context.Context, o crm.OutboxStore) error {
			return o.MarkSent(ctx, ids[1], expired.Token, now)
		})
		assert.True(t, errors.Is(err, crm.ErrNotFound), "another dealer's message: %v", err)
		err = mark(b, ctx, func(ctx context.Context, o crm.OutboxStore) error {
			return o.MarkFailed(ctx, crm.NewID(), expired.Token, crm.Failure{Reason: "x", At: now, RetryAt: now})
		})
		assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)

		got = claim(t, b, ctxB, crm.Lease{Token: crm.NewID(), Until: now.Add(time.Minute)}, now, 10)
		assert.Len(t, got, 1, "each dealer claims its own messages")
		got = claim(t, b, ctx, crm.Lease{Token: crm.NewID(), Until: now.Add(time.Hour)}, now.Add(time.Hour), 10)
		assert.Len(t, got, 2, "a sent message is never claimed again")
	})

	t.Run("ConcurrentRelaysSendEachOnce", func(t *testing.T) {
		const relays, messages = 4, 120
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		ids := enqueueMessages(t, b, ctx, messages)
		clock := crm.NewManualClock(Epoch.Add(time.Hour)) // leases never run out: each message is sent once
		n := newCountingNotifier()
		n.block = func(context.Context) { time.Sleep(time.Millisecond) } // a send takes a while: the relays overlap
		var sent atomic.Int64
		var perRelay [relays]int
		deadline := time.Now().Add(60 * time.Second)
		var wg sync.WaitGroup
		for i := 0; i < relays; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, clock)
				r.Batch = 7
				for sent.Load() < messages && time.Now().Before(deadline) {
					k, err := r.RunOnce(ctx)
					if !assert.NoError(t, err) {
						return
					}
					sent.Add(int64(k))
					perRelay[i] += k
					if k == 0 {
						time.Sleep(time.Millisecond)
					}
				}
			}()
		}
		wg.Wait()
		assert.EqualValues(t, messages, sent.Load())
		working := 0
		for _, k := range perRelay {
			if k > 0 {
				working++
			}
		}
		assert.GreaterOrEqual(t, working, 2, "the relays really ran at once (sent per relay: %v)", perRelay)
		for _, id := range ids {
			assert.Equal(t, 1, n.count(id), "message %s", id)
		}
		assert.Equal(t, messages, n.total())
		for _, m := range outbox(t, b, ctx) {
			assert.Equal(t, crm.MessageSent, m.Status())
			assert.Equal(t, 1, m.Attempts)
		}
	})

	t.Run("BatchRecordsEachOutcome", func(t *testing.T) {
		// A run records its batch's outcomes together (crm.OutboxMarker where the store has it): each sent
		// message at its own send time, a failure as a failure, and a message whose lease was lost before the
		// record as an error of the run, the others recorded all the same.
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		ids := enqueueMessages(t, b, ctx, 6)
		clock := crm.NewManualClock(Epoch.Add(time.Hour))
		start := clock.Now()
		n := newCountingNotifier()
		n.block = func(context.Context) { clock.Advance(300 * time.Millisecond) } // 0.3 s a send: the first five recorded together, then the last
		n.fail = func(m crm.Message, _ int) error {
			if m.ID == ids[1] {
				return errors.New("connection reset")
			}
			return nil
		}
		r := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, clock)
		sent, err := r.RunOnce(ctx)
		require.NoError(t, err)
		assert.Equal(t, 5, sent)
		got := byID(outbox(t, b, ctx))
		for i, id := range ids {
			m := got[id]
			assert.Equal(t, 1, m.Attempts, "message %d", i)
			if i == 1 {
				assert.Equal(t, crm.MessagePending, m.Status(), "the failed one is due again")
				assert.Equal(t, "connection reset", m.LastError)
				continue
			}
			require.Equal(t, crm.MessageSent, m.Status(), "message %d", i)
			assert.Equal(t, start.Add(time.Duration(i+1)*300*time.Millisecond), m.SentAt.UTC(), "message %d: its own send time", i)
		}

		// The lease lost during the batch (the clock jumps past it and another relay claims them all): nothing
		// is recorded as this run's, and each message's refusal is the run's error.
		ids = enqueueMessages(t, b, ctx, 3)
		n = newCountingNotifier()
		var reclaimed []crm.Message
		n.block = func(context.Context) {
			if reclaimed == nil {
				reclaimed = claim(t, b, ctx, crm.Lease{Token: crm.NewID(), Until: clock.Now().Add(time.Hour)},
					clock.Now().Add(2*time.Minute), 10)
			}
		}
		r = crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, clock)
		r.Batch = 3
		sent, err = r.RunOnce(ctx)
		assert.Equal(t, 0, sent)
		assert.True(t, errors.Is(err, crm.ErrLeaseLost), "%v", err)
		assert.Len(t, reclaimed, 4, "the three and the failed one, claimed by the other relay")
		for _, id := range ids {
			assert.Equal(t, crm.MessagePending, byID(outbox(t, b, ctx))[id].Status())
		}
	})

	t.Run("RetriesWithBackoffThenDeadLetters", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		ids := enqueueMessages(t, b, ctx, 3) // 0: always fails; 1: fails once, then goes; 2: fails for good at once
		clock := crm.NewManualClock(Epoch.Add(time.Hour))
		n := newCountingNotifier()
		n.fail = func(m crm.Message, attempt int) error {
			switch m.ID {
			case ids[0]:
				return fmt.Errorf("smtp: 421 try again later (attempt %d)", attempt)
			case ids[1]:
				if attempt == 1 {
					return errors.New("connection reset")
				}
			case ids[2]:
				return crm.Permanent(errors.New("smtp: 550 no such mailbox"))
			}
			return nil
		}
		r := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, clock)
		r.MaxAttempts, r.RetryBase, r.RetryMax = 3, time.Minute, 90*time.Second
		start := clock.Now()
		run := func(wantSent int) {
			t.Helper()
			k, err := r.RunOnce(ctx)
			require.NoError(t, err)
			assert.Equal(t, wantSent, k)
		}
		run(0)
		assert.Equal(t, []int{1, 1, 1}, n.counts(ids))
		msgs := byID(outbox(t, b, ctx))
		assert.Equal(t, start.Add(time.Minute), msgs[ids[0]].NextAttemptAt, "due again after RetryBase")
		assert.Equal(t, "connection reset", msgs[ids[1]].LastError)
		dead := msgs[ids[2]]
		assert.Equal(t, crm.MessageDead, dead.Status(), "a permanent failure is a dead letter at once")
		assert.Equal(t, 1, dead.Attempts)
		assert.Equal(t, "smtp: 550 no such mailbox", dead.LastError)

		clock.Advance(59 * time.Second)
		run(0)
		assert.Equal(t, []int{1, 1, 1}, n.counts(ids), "nothing is retried before its backoff")
		clock.Advance(time.Second)
		run(1)
		assert.Equal(t, []int{2, 2, 1}, n.counts(ids))
		msgs = byID(outbox(t, b, ctx))
		assert.Equal(t, crm.MessageSent, msgs[ids[1]].Status())
		assert.Equal(t, 2, msgs[ids[1]].Attempts)
		assert.Equal(t, start.Add(time.Minute+90*time.Second), msgs[ids[0]].NextAttemptAt, "2·RetryBase capped at RetryMax")

		clock.Advance(89 * time.Second)
		run(0)
		assert.Equal(t, 2, n.count(ids[0]))
		clock.Advance(time.Second)
		run(0)
		assert.Equal(t, 3, n.count(ids[0]))
		msgs = byID(outbox(t, b, ctx))
		dead = msgs[ids[0]]
		assert.Equal(t, crm.MessageDead, dead.Status(), "dead after MaxAttempts failures")
		assert.Equal(t, 3, dead.Attempts)
		assert.Equal(t, "smtp: 421 try again later (attempt 3)", dead.LastError)
		require.NotNil(t, dead.DeadAt)
		assert.Equal(t, clock.Now(), *dead.DeadAt)

		clock.Advance(24 * time.Hour)
		run(0)
		assert.Equal(t, []int{3, 2, 1}, n.counts(ids), "dead letters and sent messages are never claimed again")
	})

	t.Run("ExpiredLeaseIsReclaimed", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		ids := enqueueMessages(t, b, ctx, 2)
		clock := crm.NewManualClock(Epoch.Add(time.Hour))

		// A relay that crashed after claiming: its lease is stored, its marks never come.
		crashed := crm.Lease{Token: crm.NewID(), Until: clock.Now().Add(time.Minute)}
		require.Len(t, claim(t, b, ctx, crashed, clock.Now(), 1), 1)

		// A relay that hangs in Send on the other message.
		release := make(chan struct{})
		started := make(chan struct{}, 1)
		hung := newCountingNotifier()
		hung.block = func(ctx context.Context) { started <- struct{}{}; <-release }
		stuck := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), hung, clock)
		type result struct {
			n   int
			err error
		}
		done := make(chan result, 1)
		go func() { k, err := stuck.RunOnce(ctx); done <- result{k, err} }()
		<-started

		n := newCountingNotifier()
		r := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, clock)
		k, err := r.RunOnce(ctx)
		require.NoError(t, err)
		assert.Zero(t, k, "both messages are leased")
		clock.Advance(r.Lease - time.Second)
		k, err = r.RunOnce(ctx)
		require.NoError(t, err)
		assert.Zero(t, k, "the leases still hold")
		clock.Advance(time.Second)
		k, err = r.RunOnce(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, k, "run-out leases are claimed and sent by another relay")
		assert.Equal(t, []int{1, 1}, n.counts(ids))

		close(release)
		res := <-done
		assert.Zero(t, res.n)
		assert.True(t, errors.Is(res.err, crm.ErrLeaseLost), "the hung relay cannot mark what it lost: %v", res.err)
		assert.Equal(t, 1, hung.total())
		assert.Equal(t, 1, hung.count(ids[1]), "at least once: the hung relay sent the same message, with the same ID")
		for _, m := range outbox(t, b, ctx) {
			assert.Equal(t, crm.MessageSent, m.Status())
			assert.Equal(t, 1, m.Attempts, "the outcome recorded is the reclaiming relay's")
		}
	})

	t.Run("OutcomeTimesAreStorageTimes", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		ids := enqueueMessages(t, b, ctx, 2)
		clock := crm.NewManualClock(Epoch.Add(time.Hour + 123456789*time.Nanosecond))
		n := newCountingNotifier()
		n.fail = func(m crm.Message, _ int) error {
			if m.ID == ids[1] {
				return errors.New("busy")
			}
			return nil
		}
		r := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, clock)
		_, err := r.RunOnce(ctx)
		require.NoError(t, err)
		msgs := byID(outbox(t, b, ctx))
		now := crm.StorageTime(clock.Now())
		require.NotNil(t, msgs[ids[0]].SentAt)
		assert.Equal(t, now, *msgs[ids[0]].SentAt, "both adapters keep the relay's time at storage precision")
		assert.Equal(t, now.Add(r.RetryBase), msgs[ids[1]].NextAttemptAt)
	})

	t.Run("SendEndsWithTheLease", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		ids := enqueueMessages(t, b, ctx, 1)
		clock := crm.NewManualClock(Epoch.Add(time.Hour))
		n := newCountingNotifier()
		n.block = func(ctx context.Context) { <-ctx.Done() } // a notifier that honours its context
		n.fail = func(crm.Message, int) error { return fmt.Errorf("smtp: %w", context.DeadlineExceeded) }
		r := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, clock)
		r.Lease = 100 * time.Millisecond
		started := time.Now()
		k, err := r.RunOnce(ctx)
		require.NoError(t, err)
		assert.Zero(t, k)
		assert.Less(t, time.Since(started), 10*time.Second, "Send's context ends with the lease")
		m := byID(outbox(t, b, ctx))[ids[0]]
		assert.Equal(t, crm.MessagePending, m.Status())
		assert.Equal(t, 1, m.Attempts)
		assert.Equal(t, "smtp: context deadline exceeded", m.LastError)
		assert.Equal(t, clock.Now().Add(r.RetryBase), m.NextAttemptAt)
	})

	t.Run("HungNotifierBlocksNobody", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		ctxB, _ := NewDealer(t, b, "B")
		enqueueMessages(t, b, ctx, 1)
		release := make(chan struct{})
		started := make(chan struct{}, 1)
		hung := newCountingNotifier()
		hung.block = func(ctx context.Context) { started <- struct{}{}; <-release } // ignores ctx: truly hung
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), hung, crm.SystemClock{}).RunOnce(ctx)
		}()
		<-started
		defer func() { close(release); <-done }()

		// While it hangs, both dealers read and write, and dealer B's relay delivers.
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			var wg sync.WaitGroup
			for i, c := range []context.Context{ctx, ctxB, ctx, ctxB} {
				wg.Add(1)
				go func(i int, c context.Context) {
					defer wg.Done()
					for j := 0; j < 10; j++ {
						cu := newCustomer(t, b, c, fmt.Sprintf("Клиент %d-%d", i, j))
						assert.Equal(t, cu.ID, getCustomer(t, b, c, cu.ID).ID)
						enqueueMessages(t, b, c, 1)
						outbox(t, b, c)
					}
				}(i, c)
			}
			wg.Wait()
			n := newCountingNotifier()
			k, err := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, crm.SystemClock{}).RunOnce(ctxB)
			assert.NoError(t, err)
			assert.Equal(t, 20, k, "dealer B's notices go out while dealer A's notifier hangs")
		}()
		select {
		case <-finished:
		case <-time.After(20 * time.Second):
			t.Fatal("reads and writes were blocked by a hung notifier")
		}
	})
}

// countingNotifier counts sends per message; fail decides an attempt's outcome, block runs before it.
type countingNotifier struct {
	mu    sync.Mutex
	sends map[crm.ID]int
	fail  func(m crm.Message, attempt int) error
	block func(ctx context.Context)
}

func newCountingNotifier() *countingNotifier { return &countingNotifier{sends: map[crm.ID]int{}} }

func (n *countingNotifier) Send(ctx context.Context, m crm.Message) error {
	if n.block != nil {
		n.block(ctx)
	}
	n.mu.Lock()
	n.sends[m.ID]++
	attempt := n.sends[m.ID]
	n.mu.Unlock()
	if n.fail != nil {
		return n.fail(m, attempt)
	}
	return nil
}

func (n *countingNotifier) count(id crm.ID) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.sends[id]
}

func (n *countingNotifier) counts(ids []crm.ID) []int {
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = n.count(id)
	}
	return out
}

func (n *countingNotifier) total() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	sum := 0
	for _, k := range n.sends {
		sum += k
	}
	return sum
}

// enqueueMessages queues k messages of the context's dealer, one second apart in age, and returns their IDs
// oldest first.
func enqueueMessages(t *testing.T, b Backend, ctx context.Context, k int) []crm.ID {
	t.Helper()
	ids := make([]crm.ID, k)
	require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error {
		for i := range ids {
			m := &crm.Message{Topic: "test_drive.booked", Recipient: "ivan@example.org", Subject: "Тест-драйв",
				Body: "Ждём вас", CreatedAt: Epoch.Add(time.Duration(i) * time.Second)}
			if err := s.Outbox().Enqueue(ctx, m); err != nil {
				return err
			}
			ids[i] = m.ID
		}
		return nil
	}))
	return ids
}

func claim(t *testing.T, b Backend, ctx context.Context, l crm.Lease, now time.Time, limit int) []crm.Message {
	t.Helper()
	var out []crm.Message
	require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) (err error) {
		out, err = s.Outbox().Claim(ctx, l, now, limit)
		return err
	}))
	return out
}

func mark(b Backend, ctx context.Context, fn func(ctx context.Context, o crm.OutboxStore) error) error {
	return crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return fn(ctx, s.Outbox()) })
}

func byID(msgs []crm.Message) map[crm.ID]crm.Message {
	out := make(map[crm.ID]crm.Message, len(msgs))
	for _, m := range msgs {
		out[m.ID] = m
	}
	return out
}

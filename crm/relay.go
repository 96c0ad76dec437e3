package crm

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Relay delivers outbox messages through a Notifier after their transaction has committed.
//
// One run (RunOnce) takes three steps and never sends inside a transaction:
//
//  1. claim: in one unit of work, lease up to Batch due messages of the context's dealer until now+Lease;
//  2. send: outside every transaction and lock, hand each message to the notifier, one at a time, while the
//     lease holds (a message whose lease has run out by its turn is left for the next claim);
//  3. mark: in one unit of work for the batch (or for the sends of each second of a slow one), record each message
//     sent (one statement for all, OutboxMarker), or failed — due again after a backoff of
//     RetryBase·2^(attempts−1), at most RetryMax, or a dead letter once it has failed MaxAttempts times or the
//     notifier's error is Permanent. A mark succeeds only while the message still carries this run's lease token.
//
// The guarantee, as the contract suite (adapters/adaptertest, relay/*) tests it on both adapters:
//   - while a lease holds, no other claim returns the message, so relays running at once on one database never
//     send one message twice while its lease holds (relay/ConcurrentRelaysSendEachOnce: 4 relays, 120 messages);
//   - delivery is at least once: a relay that stops or hangs between claim and mark leaves the message leased
//     until the lease runs out, and then another relay sends it (relay/ExpiredLeaseIsReclaimed); the late mark of
//     the first is refused with ErrLeaseLost; the notifier sees the same message ID each time and the receiver
//     deduplicates by it;
//   - a failed message is retried no earlier than its backoff and becomes a dead letter after MaxAttempts
//     failures (at once for a Permanent error), keeping the attempt count and the last error
//     (relay/RetriesWithBackoffThenDeadLetters);
//   - a notifier that hangs holds no transaction or lock: other dealers' reads and writes and other relays go on
//     (relay/HungNotifierBlocksNobody).
//
// Send's context carries the lease's end as its deadline (relay/SendEndsWithTheLease). It is not exactly once: a
// send whose lease runs out or whose mark fails is sent again.
//
// Leases are compared with the relay's clock; relays on several machines need clocks that agree to well within
// Lease.
type Relay struct {
	uow      UnitOfWork[Stores]
	notifier Notifier
	clock    Clock
	// Batch is how many messages one run claims; default 50.
	Batch int
	// MaxAttempts is how many failed attempts make a message a dead letter; default 5.
	MaxAttempts int
	// Lease is how long a claim holds; default 1 minute. It bounds each Send (the context's deadline) and
	// should exceed the time a batch takes to send.
	Lease time.Duration
	// RetryBase is the delay after the first failure; it doubles with each further failure; default 30 s.
	RetryBase time.Duration
	// RetryMax caps the delay between attempts; default 1 hour.
	RetryMax time.Duration
}

// NewRelay returns a relay over the kernel stores with the default settings, telling time with c (SystemClock
// when nil). It panics when uow or n is nil: that is a wiring mistake, not a runtime condition (the convention of
// every service constructor).
func NewRelay(uow UnitOfWork[Stores], n Notifier, c Clock) *Relay {
	if uow == nil {
		panic("crm.NewRelay: nil unit of work")
	}
	if n == nil {
		panic("crm.NewRelay: nil notifier")
	}
	if c == nil {
		c = SystemClock{}
	}
	return &Relay{uow: uow, notifier: n, clock: c, Batch: 50, MaxAttempts: 5, Lease: time.Minute,
		RetryBase: 30 * time.Second, RetryMax: time.Hour}
}

// Permanent marks err as a failure that retrying cannot cure (a refused address, a 5xx SMTP answer): a
// notifier returns Permanent(err) to make the message a dead letter at once. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err's chain holds an error made by Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Backoff returns how long after its attempts-th failure a message is next due: RetryBase·2^(attempts−1),
// at most RetryMax.
func (r *Relay) Backoff(attempts int) time.Duration {
	d := r.RetryBase
	for i := 1; i < attempts && d < r.RetryMax; i++ {
		d *= 2
	}
	if d > r.RetryMax {
		d = r.RetryMax
	}
	return d
}

// RunOnce claims one batch of the context's dealer's due messages, sends each outside any transaction and
// records the outcome. It returns how many were sent. A message whose send failed is not an error of the run;
// an error is returned when claiming or marking fails (a message whose mark failed is sent again after its
// lease runs out).
func (r *Relay) RunOnce(ctx context.Context) (int, error) {
	const op = "crm.Relay.RunOnce"
	if r.Batch < 1 || r.MaxAttempts < 1 || r.Lease <= 0 || r.RetryBase <= 0 || r.RetryMax < r.RetryBase {
		return 0, Invalid(op, FieldError{Field: "relay", Message: "Batch, MaxAttempts, Lease and RetryBase must be positive and RetryMax at least RetryBase"})
	}
	now := StorageTime(r.clock.Now())
	lease := Lease{Token: NewID(), Until: now.Add(r.Lease)}
	var msgs []Message
	err := r.uow.Update(ctx, func(ctx context.Context, s Stores) (err error) {
		msgs, err = s.Outbox().Claim(ctx, lease, now, r.Batch)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%s: claim: %w", op, err)
	}
	sent := 0
	var errs []error
	var pending []outcome       // sent or failed, not yet recorded
	sendCtx := WithRunMemo(ctx) // the notifier's reads kept for the batch (RunMemo)
	record := func() {
		n, err := r.mark(ctx, lease, pending)
		sent += n
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", op, err))
		}
		pending = pending[:0]
	}
	for _, m := range msgs {
		if !r.clock.Now().Before(lease.Until) {
			break // the lease has run out: another relay may hold these messages now
		}
		pending = append(pending, r.send(sendCtx, m, lease))
		// The outcomes are recorded together (one unit of work, one statement for the sent ones where the store
		// has MarkSentAll) at the end of the batch, or sooner once the first of them waits markDelay: a slow
		// notifier's sends are recorded about as they happen.
		if r.clock.Now().Sub(pending[0].at) >= markDelay || ctx.Err() != nil {
			record()
		}
		if ctx.Err() != nil {
			break
		}
	}
	if len(pending) > 0 {
		record()
	}
	return sent, errors.Join(errs...)
}

// markDelay is how long the first outcome of a batch may wait to be recorded with the next ones.
const markDelay = time.Second

// outcome is what sending one message came to: sent (err nil) or failed, at at.
type outcome struct {
	m   Message
	err error
	at  time.Time
}

// send hands m to the notifier within the lease.
func (r *Relay) send(ctx context.Context, m Message, lease Lease) outcome {
	sendCtx, cancel := context.WithTimeout(ctx, lease.Until.Sub(r.clock.Now()))
	err := r.notifier.Send(sendCtx, m)
	cancel()
	return outcome{m: m, err: err, at: StorageTime(r.clock.Now())}
}

// mark records the outcomes under lease in one unit of work, even when ctx was cancelled meanwhile (shutting
// down: the sends have happened), and returns how many sent messages were recorded sent: the sent ones with one
// MarkSentAll where the store has it (else MarkSent each), each failure with MarkFailed. A message whose mark is
// refused (its lease lost, say) is an error of the run, the others are recorded all the same.
func (r *Relay) mark(ctx context.Context, lease Lease, outs []outcome) (int, error) {
	markCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	sent := 0
	var errs []error
	err := r.uow.Update(markCtx, func(ctx context.Context, s Stores) error {
		sent, errs = 0, nil
		var ids []ID
		var ats []time.Time
		for _, o := range outs {
			if o.err == nil {
				ids, ats = append(ids, o.m.ID), append(ats, o.at)
			}
		}
		done := map[ID]bool{}
		if all, ok := s.Outbox().(OutboxMarker); ok && len(ids) > 1 {
			marked, err := all.MarkSentAll(ctx, lease.Token, ids, ats)
			if err != nil {
				return err
			}
			for _, id := range marked {
				done[id] = true
			}
			sent = len(marked)
		}
		for _, o := range outs {
			if o.err == nil && done[o.m.ID] {
				continue
			}
			var err error
			if o.err == nil {
				// Not marked by MarkSentAll (or no such method): MarkSent says why.
				if err = s.Outbox().MarkSent(ctx, o.m.ID, lease.Token, o.at); err == nil {
					sent++
				}
			} else {
				attempts := o.m.Attempts + 1
				err = s.Outbox().MarkFailed(ctx, o.m.ID, lease.Token, Failure{
					Reason:  o.err.Error(),
					At:      o.at,
					RetryAt: o.at.Add(r.Backoff(attempts)),
					Dead:    attempts >= r.MaxAttempts || IsPermanent(o.err),
				})
			}
			if err != nil {
				if KindOf(err) != KindConflict && KindOf(err) != KindNotFound {
					return err // the database's: the unit fails, nothing is recorded
				}
				errs = append(errs, fmt.Errorf("message %s: %w", o.m.ID, err))
			}
		}
		return nil
	})
	if err != nil {
		for _, o := range outs {
			errs = append(errs, fmt.Errorf("message %s: %w", o.m.ID, err))
		}
		return 0, errors.Join(errs...)
	}
	return sent, errors.Join(errs...)
}

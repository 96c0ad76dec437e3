package crm

import (
	"context"
	"fmt"
)

// Relay delivers outbox messages through a Notifier after their transaction has committed. A message is marked
// sent in the same transaction that claimed it; a failed send is counted and retried on a later run.
type Relay struct {
	uow         UnitOfWork[Stores]
	notifier    Notifier
	clock       Clock
	Batch       int // messages per run; default 50
	MaxAttempts int // attempts before a message is left alone; default 5
}

// NewRelay returns a relay over the kernel stores.
func NewRelay(uow UnitOfWork[Stores], n Notifier, c Clock) *Relay {
	return &Relay{uow: uow, notifier: n, clock: c, Batch: 50, MaxAttempts: 5}
}

// RunOnce claims one batch of the context's dealer, sends each message and records the outcome. It returns how
// many were sent.
func (r *Relay) RunOnce(ctx context.Context) (int, error) {
	sent := 0
	err := r.uow.Update(ctx, func(ctx context.Context, s Stores) error {
		sent = 0
		msgs, err := s.Outbox().Claim(ctx, r.Batch, r.MaxAttempts)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if err := r.notifier.Send(ctx, m); err != nil {
				if err := s.Outbox().MarkFailed(ctx, m.ID, err.Error()); err != nil {
					return err
				}
				continue
			}
			if err := s.Outbox().MarkSent(ctx, m.ID, r.clock.Now()); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("crm.Relay.RunOnce: %w", err)
	}
	return sent, nil
}

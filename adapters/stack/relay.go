package stack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// RelayWorkers is how many dealers RelayAll serves at once.
const RelayWorkers = 4

// relayRounds caps how many batches RelayAll sends per dealer in one call.
const relayRounds = 20

// RelayAll delivers the due outbox messages of every dealer (the relay works within one dealer's scope) and
// returns how many were sent. Dealers are served RelayWorkers at a time, so a dealer whose notifier is slow or
// hangs holds up its own worker only; each dealer's relay runs again while its batches come back full (up to 20
// batches), so a backlog drains in one call. A dealer whose relay is still running from another call (its
// notifier hangs) is skipped. It goes on past a dealer whose run fails and returns every such error, joined.
func (s *Stack) RelayAll(ctx context.Context) (int, error) {
	dealers, err := s.Dealers(ctx)
	if err != nil {
		return 0, err
	}
	var (
		mu   sync.Mutex
		sent int
		errs []error
		wg   sync.WaitGroup
	)
	slots := make(chan struct{}, RelayWorkers)
	for _, d := range dealers {
		if !s.relaying.start(d.ID) {
			continue // still running from an earlier call
		}
		slots <- struct{}{}
		wg.Add(1)
		go func(id crm.ID) {
			defer func() { s.relaying.done(id); <-slots; wg.Done() }()
			n, err := s.relayDealer(crm.WithDealer(ctx, id))
			mu.Lock()
			defer mu.Unlock()
			sent += n
			if err != nil {
				errs = append(errs, fmt.Errorf("stack.RelayAll: dealer %s: %w", id, err))
			}
		}(d.ID)
	}
	wg.Wait()
	return sent, errors.Join(errs...)
}

// relayDealer runs the relay for the context's dealer until a batch is not full.
func (s *Stack) relayDealer(ctx context.Context) (int, error) {
	sent := 0
	for round := 0; round < relayRounds && ctx.Err() == nil; round++ {
		n, err := s.Relay.RunOnce(ctx)
		sent += n
		if err != nil || n < s.Relay.Batch {
			return sent, err
		}
	}
	return sent, nil
}

// relaying is the set of dealers whose relay is running.
type relaying struct {
	mu      sync.Mutex
	dealers map[crm.ID]bool
}

// start marks id's relay as running; false when it already is.
func (r *relaying) start(id crm.ID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.dealers[id] {
		return false
	}
	if r.dealers == nil {
		r.dealers = map[crm.ID]bool{}
	}
	r.dealers[id] = true
	return true
}

// done marks id's relay as finished.
func (r *relaying) done(id crm.ID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.dealers, id)
}

// relayPass is Run's relay task: RelayAll, waited for at most wait. A pass still running then (a dealer's
// notifier hangs, ignoring its context) goes on in the background, tracked by bg, and logs its own outcome when
// it ends; the next passes skip that dealer and serve the others.
func (s *Stack) relayPass(bg *sync.WaitGroup, wait time.Duration, logger *slog.Logger) func(ctx context.Context) (int, error) {
	return func(ctx context.Context) (int, error) {
		type result struct {
			n   int
			err error
		}
		done := make(chan result)
		abandoned := make(chan struct{})
		bg.Add(1)
		go func() {
			defer bg.Done()
			n, err := s.RelayAll(ctx)
			select {
			case done <- result{n, err}:
			case <-abandoned:
				task{name: "relay"}.log(ctx, logger, n, err)
			}
		}()
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case r := <-done:
			return r.n, r.err
		case <-timer.C:
			close(abandoned)
			return 0, nil
		}
	}
}

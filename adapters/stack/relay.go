package stack

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/dealercrm/dealercrm/crm"
)

// RelayWorkers is how many dealers RelayAll serves at once.
const RelayWorkers = 4

// relayRounds caps how many batches RelayAll sends per dealer in one call.
const relayRounds = 20

// RelayAll delivers the due outbox messages of every dealer (the relay works within one dealer's scope) and
// returns how many were sent. Dealers are served RelayWorkers at a time, so a dealer whose notifier is slow or
// hangs holds up its own worker only; each dealer's relay runs again while its batches come back full (up to 20
// batches), so a backlog drains in one call. It goes on past a dealer whose run fails and returns every such
// error, joined.
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
		slots <- struct{}{}
		wg.Add(1)
		go func(id crm.ID) {
			defer func() { <-slots; wg.Done() }()
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

package stack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Default intervals of Run's background work.
const (
	DefaultRelayInterval  = 5 * time.Second // RelayAll: deliver due outbox notices
	DefaultExpiryInterval = time.Minute     // ExpireAll: end run-out vehicle holds in storage
	DefaultSweepInterval  = time.Minute     // SweepResponsesAll: tell owners and managers of leads past their response target
	// DefaultReminderInterval is how often RemindAll queues the reminders that have come due.
	DefaultReminderInterval = time.Minute
)

// RunOption changes what Run does.
type RunOption func(*runConfig)

// runConfig collects the options of Run.
type runConfig struct {
	logger *slog.Logger
	tasks  []task
}

// task is one piece of periodic background work.
type task struct {
	name  string
	every time.Duration
	run   func(ctx context.Context) (int, error)
}

// WithRelayInterval runs the outbox relay (RelayAll) every d instead of DefaultRelayInterval.
func WithRelayInterval(d time.Duration) RunOption {
	return func(c *runConfig) { c.tasks[0].every = d }
}

// WithExpiryInterval ends run-out vehicle holds (ExpireAll) every d instead of DefaultExpiryInterval.
func WithExpiryInterval(d time.Duration) RunOption {
	return func(c *runConfig) { c.tasks[1].every = d }
}

// WithReminderInterval queues due reminders (RemindAll) and runs scheduled campaigns (CampaignsAll) every d
// instead of DefaultReminderInterval.
func WithReminderInterval(d time.Duration) RunOption {
	return func(c *runConfig) { c.tasks[3].every, c.tasks[4].every = d, d }
}

// WithRunLogger logs through l instead of slog.Default(): each failed pass at Error, each pass that did
// something at Info.
func WithRunLogger(l *slog.Logger) RunOption { return func(c *runConfig) { c.logger = l } }

// WithTask runs fn every interval alongside the CRM's own work (for example purging an HTTP idempotency store).
// fn returns how many things it did, for the log.
func WithTask(name string, every time.Duration, fn func(ctx context.Context) (int, error)) RunOption {
	return func(c *runConfig) { c.tasks = append(c.tasks, task{name: name, every: every, run: fn}) }
}

// Run starts all background work of the CRM and blocks until ctx is done: the outbox relay for every dealer
// (RelayAll, every DefaultRelayInterval), the end of run-out vehicle holds (ExpireAll, every
// DefaultExpiryInterval), the lead response sweep (SweepResponsesAll, every DefaultSweepInterval), the
// reminders before test drives and service appointments (RemindAll, every DefaultReminderInterval) and the
// campaigns whose time has come (CampaignsAll, at the same interval), plus any
// WithTask. Each runs once at start and then at its interval, in its own
// goroutine, so a slow relay never delays expiry; a failed pass is logged and retried at the next interval. A
// relay pass is waited for at most one interval: a dealer whose notifier hangs, ignoring its context, goes on in
// the background and is skipped by later passes until it returns, so the other dealers' notices keep going out.
//
// Run returns nil once ctx is done and every pass in flight has returned (a relay pass records the outcome of
// the send in flight; a notifier should honour its context so that this is prompt). It returns an error at once,
// starting nothing, when an interval is not positive. It may run in several processes over one database: the
// relay's leases and the expiry's units of work make that safe.
func (s *Stack) Run(ctx context.Context, opts ...RunOption) error {
	c := runConfig{tasks: []task{
		{name: "relay", every: DefaultRelayInterval, run: s.RelayAll},
		{name: "expire reservations", every: DefaultExpiryInterval, run: s.ExpireAll},
		{name: "lead response sweep", every: DefaultSweepInterval, run: s.SweepResponsesAll},
		{name: "reminders", every: DefaultReminderInterval, run: s.RemindAll},
		{name: "scheduled campaigns", every: DefaultReminderInterval, run: s.CampaignsAll},
	}}
	for _, o := range opts {
		o(&c)
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	var errs []error
	for _, t := range c.tasks {
		if t.every <= 0 || t.run == nil {
			errs = append(errs, fmt.Errorf("task %q needs a positive interval and a function", t.name))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("stack.Run: %w", err)
	}
	var wg, bg sync.WaitGroup
	defer bg.Wait() // relay passes that outlived their interval
	c.tasks[0].run = s.relayPass(&bg, c.tasks[0].every, c.logger)
	for _, t := range c.tasks {
		wg.Add(1)
		go func(t task) {
			defer wg.Done()
			t.loop(ctx, c.logger)
		}(t)
	}
	wg.Wait()
	return nil
}

// loop runs t now and then every interval until ctx is done.
func (t task) loop(ctx context.Context, logger *slog.Logger) {
	tick := time.NewTicker(t.every)
	defer tick.Stop()
	for ctx.Err() == nil {
		n, err := t.run(ctx)
		t.log(ctx, logger, n, err)
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
}

// log reports one pass of t: a failure at Error (unless ctx is done), work done at Info.
func (t task) log(ctx context.Context, logger *slog.Logger, n int, err error) {
	switch {
	case err != nil && ctx.Err() == nil:
		logger.ErrorContext(ctx, "background work failed", "task", t.name, "error", err.Error())
	case n > 0:
		logger.InfoContext(ctx, "background work done", "task", t.name, "count", n)
	}
}

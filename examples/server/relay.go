package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
)

// logNotifier "delivers" notices by logging them: the example server has no mail server.
type logNotifier struct{ logger *slog.Logger }

// Send logs m.
func (n logNotifier) Send(ctx context.Context, m crm.Message) error {
	n.logger.InfoContext(ctx, "notice", "topic", m.Topic, "recipient", m.Recipient, "subject", m.Subject,
		"dealer", m.DealerID.String())
	return nil
}

// relayLoop runs the outbox relay for every dealer every interval until ctx is done, and ends the vehicle holds
// whose time has run out.
func relayLoop(ctx context.Context, st *stack.Stack, every time.Duration, logger *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := st.RelayAll(ctx)
		if err != nil && ctx.Err() == nil {
			logger.Error("relay", "error", err.Error())
		}
		if n > 0 {
			logger.Info("relay delivered notices", "sent", n)
		}
		if n, err := st.ExpireAll(ctx); err != nil && ctx.Err() == nil {
			logger.Error("expire reservations", "error", err.Error())
		} else if n > 0 {
			logger.Info("vehicle holds ended", "vehicles", n)
		}
	}
}

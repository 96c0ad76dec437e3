package main

import (
	"context"
	"log/slog"

	"github.com/dealercrm/dealercrm/crm"
)

// logNotifier "delivers" by logging them the notices of dealers that have no mailbox settings (and SMS): the
// fallback of the stack's notices service. Dealers with mailbox settings get real mail.
type logNotifier struct{ logger *slog.Logger }

// Send logs m.
func (n logNotifier) Send(ctx context.Context, m crm.Message) error {
	n.logger.InfoContext(ctx, "notice", "message_id", m.ID.String(), "topic", m.Topic, "recipient", m.Recipient, "subject", m.Subject,
		"dealer", m.DealerID.String())
	return nil
}

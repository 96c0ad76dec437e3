package stack_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// queueNotices puts k messages into the outbox of the context's dealer.
func queueNotices(t *testing.T, st *stack.Stack, ctx context.Context, k int) {
	t.Helper()
	require.NoError(t, st.Kernel.Update(ctx, func(ctx context.Context, s crm.Stores) error {
		for i := 0; i < k; i++ {
			if err := s.Outbox().Enqueue(ctx, &crm.Message{Topic: "t", Recipient: "r", Subject: "s", Body: "b", CreatedAt: epoch}); err != nil {
				return err
			}
		}
		return nil
	}))
}

func TestRelayAllADealersHungNotifierHoldsUpNoOtherDealer(t *testing.T) {
	release := make(chan struct{})
	var hungDealer crm.ID
	var delivered atomic.Int64
	notify := stack.NotifierFunc(func(ctx context.Context, m crm.Message) error {
		if m.DealerID == hungDealer {
			<-release // ignores ctx: truly hung
		}
		delivered.Add(1)
		return nil
	})
	st := stack.New(memory.New(), crm.NewManualClock(epoch.Add(time.Hour)), stack.WithNotifier(notify))
	ctx := context.Background()
	hung, err := st.AddDealer(ctx, crm.Dealer{Name: "Альфа", LegalName: "ООО «Альфа»"}) // served first: names sort
	require.NoError(t, err)
	hungDealer = hung.ID
	other, err := st.AddDealer(ctx, crm.Dealer{Name: "Бета", LegalName: "ООО «Бета»"})
	require.NoError(t, err)
	queueNotices(t, st, crm.WithDealer(ctx, hung.ID), 1)
	queueNotices(t, st, crm.WithDealer(ctx, other.ID), 3)

	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() { n, err := st.RelayAll(ctx); done <- result{n, err} }()
	require.Eventually(t, func() bool { return delivered.Load() == 3 }, 10*time.Second, time.Millisecond,
		"the other dealer's notices go out while the first dealer's notifier hangs")
	close(release)
	res := <-done
	require.NoError(t, res.err)
	assert.Equal(t, 4, res.n)
}

func TestRelayAllDrainsABacklogInOneCall(t *testing.T) {
	var delivered atomic.Int64
	st := stack.New(memory.New(), crm.NewManualClock(epoch.Add(time.Hour)), stack.WithNotifier(stack.NotifierFunc(
		func(context.Context, crm.Message) error { delivered.Add(1); return nil })))
	ctx := context.Background()
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»"})
	require.NoError(t, err)
	queueNotices(t, st, crm.WithDealer(ctx, d.ID), 2*st.Relay.Batch+7)
	n, err := st.RelayAll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2*st.Relay.Batch+7, n)
	assert.EqualValues(t, n, delivered.Load())
}

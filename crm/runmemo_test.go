package crm_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunMemoIsOneRunsOwn: a relay run hands each of its messages' sends the same memo, a fresh one per run;
// outside a run there is none, and a nil memo keeps nothing.
func TestRunMemoIsOneRunsOwn(t *testing.T) {
	var none *crm.RunMemo
	none.Store("k", 1)
	_, ok := none.Load("k")
	assert.False(t, ok, "a nil memo keeps nothing")
	assert.Nil(t, crm.RunMemoFrom(context.Background()))

	b := memory.New()
	ctx := context.Background()
	ctx = crm.WithDealer(ctx, crm.NewID())
	enqueue := func(n int) {
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s crm.Stores) error {
			for range n {
				if err := s.Outbox().Enqueue(ctx, &crm.Message{Topic: "t", Recipient: "ivan@example.org"}); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	var memos []*crm.RunMemo
	seen := 0
	n := notifierFunc(func(ctx context.Context, m crm.Message) error {
		memo := crm.RunMemoFrom(ctx)
		memos = append(memos, memo)
		if _, ok := memo.Load("dealer settings"); ok {
			seen++
		}
		memo.Store("dealer settings", m.DealerID)
		return nil
	})
	r := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, crm.NewManualClock(time.Now().Add(time.Minute)))
	enqueue(3)
	sent, err := r.RunOnce(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, sent)
	enqueue(1)
	_, err = r.RunOnce(ctx)
	require.NoError(t, err)
	require.Len(t, memos, 4)
	assert.NotNil(t, memos[0])
	assert.Same(t, memos[0], memos[1], "one run, one memo")
	assert.Same(t, memos[0], memos[2])
	assert.NotSame(t, memos[0], memos[3], "a fresh memo for the next run")
	assert.Equal(t, 2, seen, "the run's later sends find what its first kept; the next run's first does not")
}

type notifierFunc func(ctx context.Context, m crm.Message) error

func (f notifierFunc) Send(ctx context.Context, m crm.Message) error { return f(ctx, m) }

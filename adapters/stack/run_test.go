package stack_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a log destination safe for Run's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunDeliversNoticesEndsHoldsAndStopsWithTheContext(t *testing.T) {
	clock := crm.NewManualClock(epoch)
	var delivered atomic.Int64
	notify := stack.NotifierFunc(func(ctx context.Context, m crm.Message) error {
		delivered.Add(1)
		return nil
	})
	st := stack.New(memory.New(), clock, stack.WithNotifier(notify))
	ctx := context.Background()
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»"})
	require.NoError(t, err)
	dctx := crm.WithDealer(ctx, d.ID)
	v, err := st.Catalog.CreateVehicle(dctx, catalog.Vehicle{VIN: "XTAGFL110TY000001", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	l, err := st.Leads.CreateLead(dctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", Phones: []string{"+79000000001"}},
		Source: leads.SourcePhone, NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	_, err = st.Leads.BookTestDrive(dctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Now: true})
	require.NoError(t, err)
	clock.Advance(24 * time.Hour) // the drive is over: its hold has run out

	var purges atomic.Int64
	logs := &syncBuffer{}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- st.Run(runCtx, stack.WithRelayInterval(5*time.Millisecond), stack.WithExpiryInterval(5*time.Millisecond),
			stack.WithRunLogger(slog.New(slog.NewTextHandler(logs, nil))),
			stack.WithTask("purge", 5*time.Millisecond, func(ctx context.Context) (int, error) {
				purges.Add(1)
				return 0, nil
			}))
	}()
	require.Eventually(t, func() bool {
		got, err := st.Catalog.GetVehicle(dctx, v.ID)
		return err == nil && got.Status == catalog.StatusInStock && delivered.Load() == 1 && purges.Load() >= 2
	}, 10*time.Second, 5*time.Millisecond, "the relay delivers, the expiry frees the car, extra tasks repeat")
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	assert.EqualValues(t, 1, delivered.Load(), "a delivered notice is not sent again")
	assert.Contains(t, logs.String(), "task=relay count=1")
	assert.Contains(t, logs.String(), `task="expire reservations" count=1`)
}

func TestRunLogsAFailedPassAndGoesOn(t *testing.T) {
	st := stack.New(memory.New(), crm.NewManualClock(epoch))
	logs := &syncBuffer{}
	var calls atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- st.Run(ctx, stack.WithRunLogger(slog.New(slog.NewTextHandler(logs, nil))),
			stack.WithTask("flaky", time.Millisecond, func(context.Context) (int, error) {
				calls.Add(1)
				return 0, errors.New("mail server down")
			}))
	}()
	require.Eventually(t, func() bool { return calls.Load() >= 3 }, 10*time.Second, time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, logs.String(), `task=flaky error="mail server down"`)
}

func TestRunRefusesIntervalsThatAreNotPositive(t *testing.T) {
	st := stack.New(memory.New(), crm.NewManualClock(epoch))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, opt := range []stack.RunOption{stack.WithRelayInterval(0), stack.WithExpiryInterval(-time.Second),
		stack.WithTask("nothing", time.Second, nil)} {
		err := st.Run(ctx, opt)
		require.Error(t, err, "Run returns at once instead of running")
		assert.Contains(t, err.Error(), "stack.Run")
	}
}

// TestRunKeepsDeliveringOtherDealersWhileOneNotifierHangs: a dealer whose notifier hangs, ignoring its context,
// does not stop Run from delivering the notices other dealers queue afterwards (Run's relay passes go on without
// waiting for the hung dealer, which is not started again until it returns).
func TestRunKeepsDeliveringOtherDealersWhileOneNotifierHangs(t *testing.T) {
	release := make(chan struct{})
	var hungDealer atomic.Value
	hungDealer.Store(crm.ID{})
	var hungSends, otherSends atomic.Int64
	notify := stack.NotifierFunc(func(ctx context.Context, m crm.Message) error {
		if m.DealerID == hungDealer.Load().(crm.ID) {
			hungSends.Add(1)
			<-release // ignores ctx: truly hung
			return nil
		}
		otherSends.Add(1)
		return nil
	})
	st := stack.New(memory.New(), crm.NewManualClock(epoch.Add(time.Hour)), stack.WithNotifier(notify))
	ctx, cancel := context.WithCancel(context.Background())
	hung, err := st.AddDealer(ctx, crm.Dealer{Name: "Альфа", LegalName: "ООО «Альфа»"})
	require.NoError(t, err)
	hungDealer.Store(hung.ID)
	other, err := st.AddDealer(ctx, crm.Dealer{Name: "Бета", LegalName: "ООО «Бета»"})
	require.NoError(t, err)
	queueNotices(t, st, crm.WithDealer(ctx, hung.ID), 2)
	queueNotices(t, st, crm.WithDealer(ctx, other.ID), 1)

	done := make(chan error, 1)
	go func() {
		done <- st.Run(ctx, stack.WithRelayInterval(10*time.Millisecond), stack.WithRunLogger(slog.New(slog.DiscardHandler)))
	}()
	require.Eventually(t, func() bool { return otherSends.Load() == 1 && hungSends.Load() == 1 }, 10*time.Second, time.Millisecond)

	queueNotices(t, st, crm.WithDealer(ctx, other.ID), 1) // queued after the first pass, while Альфа still hangs
	assert.Eventually(t, func() bool { return otherSends.Load() == 2 }, 10*time.Second, time.Millisecond,
		"the other dealer's later notice goes out while the first dealer's notifier hangs")
	assert.EqualValues(t, 1, hungSends.Load(), "the hung dealer's relay is not started again while it hangs")

	close(release)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended and the notifier returned")
	}
}

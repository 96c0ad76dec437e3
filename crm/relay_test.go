package crm_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// unusedUnit is a unit of work the tests below never reach.
type unusedUnit struct{}

func (unusedUnit) Update(context.Context, func(context.Context, crm.Stores) error) error {
	return errors.New("unused")
}

func (unusedUnit) View(context.Context, func(context.Context, crm.Stores) error) error {
	return errors.New("unused")
}

// discard is a notifier that accepts everything.
type discard struct{}

func (discard) Send(context.Context, crm.Message) error { return nil }

func TestNewRelayRejectsMissingPorts(t *testing.T) {
	assert.PanicsWithValue(t, "crm.NewRelay: nil unit of work", func() { crm.NewRelay(nil, discard{}, nil) })
	assert.PanicsWithValue(t, "crm.NewRelay: nil notifier", func() { crm.NewRelay(unusedUnit{}, nil, nil) })
	assert.NotPanics(t, func() { crm.NewRelay(unusedUnit{}, discard{}, nil) })
}

func TestRelayBackoffDoublesUpToTheCap(t *testing.T) {
	r := crm.NewRelay(unusedUnit{}, discard{}, nil)
	r.RetryBase, r.RetryMax = 30*time.Second, 5*time.Minute
	for attempts, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute,
		4: 4 * time.Minute, 5: 5 * time.Minute, 40: 5 * time.Minute} {
		assert.Equal(t, want, r.Backoff(attempts), "after %d failures", attempts)
	}
}

func TestPermanentIsFoundThroughWrapping(t *testing.T) {
	cause := errors.New("550 no such mailbox")
	err := fmt.Errorf("smtp: %w", crm.Permanent(cause))
	assert.True(t, crm.IsPermanent(err))
	assert.True(t, errors.Is(err, cause))
	assert.Equal(t, "smtp: 550 no such mailbox", err.Error())
	assert.False(t, crm.IsPermanent(cause))
	assert.NoError(t, crm.Permanent(nil))
}

func TestRelayRefusesSettingsThatCannotWork(t *testing.T) {
	for name, change := range map[string]func(*crm.Relay){
		"batch":     func(r *crm.Relay) { r.Batch = 0 },
		"attempts":  func(r *crm.Relay) { r.MaxAttempts = 0 },
		"lease":     func(r *crm.Relay) { r.Lease = 0 },
		"retry":     func(r *crm.Relay) { r.RetryBase = 0 },
		"retry max": func(r *crm.Relay) { r.RetryMax = r.RetryBase - 1 },
	} {
		r := crm.NewRelay(unusedUnit{}, discard{}, nil)
		change(r)
		_, err := r.RunOnce(context.Background())
		assert.True(t, errors.Is(err, crm.ErrInvalid), "%s: %v", name, err)
	}
}

func TestMessageStatus(t *testing.T) {
	now := time.Now()
	assert.Equal(t, crm.MessagePending, crm.Message{}.Status())
	assert.Equal(t, crm.MessageSent, crm.Message{SentAt: &now}.Status())
	assert.Equal(t, crm.MessageDead, crm.Message{DeadAt: &now}.Status())
}

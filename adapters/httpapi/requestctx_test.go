package httpapi

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// TestRequestContextBehavesAsWithDeadline holds requestCtx to what context.WithDeadline(parent, deadline),
// cancelled when the request ends, does: Err, Done, Deadline, Cause, children and AfterFunc, whether or not Done
// was asked before the context became done.
func TestRequestContextBehavesAsWithDeadline(t *testing.T) {
	newCtx := func(parent context.Context, timeout time.Duration) *requestCtx {
		c := &requestCtx{parent: parent}
		if timeout > 0 {
			c.deadline = time.Now().Add(timeout)
		}
		c.info.id = "r1"
		return c
	}
	waitDone := func(t *testing.T, ch <-chan struct{}) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
			t.Fatal("not done")
		}
	}
	for _, askDone := range []bool{false, true} {
		name := map[bool]string{false: "Err only", true: "Done first"}[askDone]
		t.Run(name+"/deadline", func(t *testing.T) {
			c := newCtx(context.Background(), 200*time.Millisecond) // long enough for a loaded machine to ask Err before it
			var ch <-chan struct{}
			if askDone {
				ch = c.Done()
			}
			if err := c.Err(); err != nil {
				t.Fatalf("Err before the deadline: %v", err)
			}
			if d, ok := c.Deadline(); !ok || !d.Equal(c.deadline) {
				t.Fatalf("Deadline = %v, %v", d, ok)
			}
			time.Sleep(250 * time.Millisecond)
			if askDone {
				// Asked for Done, it is a context.WithDeadline, done when its timer has fired — which a loaded
				// machine may run after the sleep: as with the standard context, Err follows Done.
				waitDone(t, ch)
			}
			if err := c.Err(); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Err after the deadline: %v", err)
			}
			if ch == nil {
				ch = c.Done()
			}
			waitDone(t, ch)
			if err := context.Cause(c); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Cause: %v", err)
			}
			c.end()
			if err := c.Err(); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("ending a timed-out request changes its error: %v", err)
			}
		})
		t.Run(name+"/parent cancelled", func(t *testing.T) {
			parent, cancel := context.WithCancelCause(context.WithValue(context.Background(), testKey("k"), "v"))
			c := newCtx(parent, time.Minute)
			var ch <-chan struct{}
			if askDone {
				ch = c.Done()
			}
			if c.Value(testKey("k")) != "v" || c.Value(requestInfoKey{}).(*requestInfo).id != "r1" {
				t.Fatal("values")
			}
			cause := errors.New("client gone")
			cancel(cause)
			if err := c.Err(); !errors.Is(err, context.Canceled) {
				t.Fatalf("Err: %v", err)
			}
			if ch == nil {
				ch = c.Done()
			}
			waitDone(t, ch)
			if err := context.Cause(c); err != cause {
				t.Fatalf("Cause: %v", err)
			}
			if c.Value(testKey("k")) != "v" {
				t.Fatal("values after cancel")
			}
		})
		t.Run(name+"/ended", func(t *testing.T) {
			c := newCtx(context.Background(), time.Minute)
			var ch <-chan struct{}
			if askDone {
				ch = c.Done()
			}
			child, cancelChild := context.WithCancel(context.WithValue(c, testKey("k"), "v"))
			defer cancelChild()
			ran := make(chan struct{})
			stop := context.AfterFunc(c, func() { close(ran) })
			defer stop()
			c.end()
			if err := c.Err(); !errors.Is(err, context.Canceled) {
				t.Fatalf("Err: %v", err)
			}
			if ch == nil {
				ch = c.Done()
			}
			waitDone(t, ch)
			waitDone(t, child.Done())
			waitDone(t, ran)
			if err := context.Cause(c); !errors.Is(err, context.Canceled) {
				t.Fatalf("Cause: %v", err)
			}
			if err := (detachedCtx{c}).Err(); err != nil || (detachedCtx{c}).Done() != nil {
				t.Fatal("the detached context is cancelled")
			}
			if (detachedCtx{c}).Value(requestInfoKey{}).(*requestInfo).id != "r1" {
				t.Fatal("the detached context lost the values")
			}
		})
	}
	t.Run("no deadline of its own", func(t *testing.T) {
		pd := time.Now().Add(time.Hour)
		parent, cancel := context.WithDeadline(context.Background(), pd)
		defer cancel()
		c := newCtx(parent, 0)
		if d, ok := c.Deadline(); !ok || !d.Equal(pd) {
			t.Fatalf("Deadline = %v, %v", d, ok)
		}
		c2 := newCtx(parent, 2*time.Hour) // the parent's is earlier
		if d, _ := c2.Deadline(); !d.Equal(pd) {
			t.Fatalf("Deadline = %v", d)
		}
		if c.Err() != nil {
			t.Fatal(c.Err())
		}
		c.end()
		waitDone(t, c.Done())
	})
	t.Run("concurrent use", func(t *testing.T) { // for -race
		for range 50 {
			c := newCtx(context.Background(), time.Millisecond)
			var wg sync.WaitGroup
			for i := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					switch i {
					case 0:
						<-c.Done()
					case 1:
						for c.Err() == nil {
							time.Sleep(100 * time.Microsecond)
						}
					case 2:
						_ = c.Value(testKey("x"))
						_ = context.Cause(c)
					case 3:
						c.end()
					}
				}()
			}
			wg.Wait()
			if c.Err() == nil {
				t.Fatal("not done")
			}
		}
	})
	t.Run("no timer until Done", func(t *testing.T) {
		c := newCtx(context.Background(), time.Minute)
		if n := testing.AllocsPerRun(100, func() { _ = c.Err(); _ = c.Value(requestInfoKey{}) }); n != 0 {
			t.Fatalf("Err and Value allocate %v times", n)
		}
		if c.std != nil {
			t.Fatal("made a standard context without Done")
		}
	})
}

// testKey is a context key of the tests.
type testKey string

type childKey struct{}

// TestRequestContextCarriesTheScopeOnceAuthenticated: the request's context answers for the dealer and actor of
// its authenticated user (requestInfo.scope) and, before, for its parent's scope, if any.
func TestRequestContextCarriesTheScopeOnceAuthenticated(t *testing.T) {
	d0, u0, d1, u1 := crm.NewID(), crm.NewID(), crm.NewID(), crm.NewID()
	c := &requestCtx{parent: crm.WithScope(context.Background(), d0, u0)}
	got, err := crm.DealerFrom(c)
	if err != nil || got != d0 || crm.ActorFrom(c) != u0 {
		t.Fatalf("before authentication: dealer %v (%v), actor %v; want the parent's %v, %v", got, err, crm.ActorFrom(c), d0, u0)
	}
	c.info.scope, c.info.authed = crm.Scope{Dealer: d1, Actor: u1}, true
	child := context.WithValue(c, childKey{}, 1)
	got, err = crm.DealerFrom(child)
	if err != nil || got != d1 || crm.ActorFrom(child) != u1 {
		t.Fatalf("authenticated: dealer %v (%v), actor %v; want %v, %v", got, err, crm.ActorFrom(child), d1, u1)
	}
}

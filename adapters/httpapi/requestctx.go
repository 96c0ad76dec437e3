package httpapi

import (
	"context"
	"sync"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// requestCtx is the context of one request: its requestInfo (answered for requestInfoKey) and its deadline
// (Limits.RequestTimeout), over the context the request came with. It behaves as
// context.WithDeadline(parent, deadline) cancelled when the request ends, but costs no timer until someone asks for
// its Done channel: Err compares the clock with the deadline, which is all a read on memory asks. The first Done (a
// database driver watching the query, a child context.WithCancel, context.AfterFunc) turns it into that standard
// context, which from then on answers Done, Err and every other key, so children, AfterFunc and context.Cause
// work as with the standard one. It is made in one allocation with the request's other state (requestState).
type requestCtx struct {
	parent   context.Context
	info     requestInfo
	deadline time.Time // zero: none of its own

	mu     sync.Mutex
	std    context.Context    // what it became on its first Done, or once done (nil until then)
	cancel context.CancelFunc // std's
	ended  bool               // the request has ended: done with context.Canceled
}

// Deadline returns the earlier of the parent's deadline and its own.
func (c *requestCtx) Deadline() (time.Time, bool) {
	d, ok := c.parent.Deadline()
	if c.deadline.IsZero() || (ok && d.Before(c.deadline)) {
		return d, ok
	}
	return c.deadline, true
}

// Done returns the channel closed when the request ends, its deadline passes or the parent is done.
func (c *requestCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.standard().Done()
}

// Err returns nil until the request is done, then context.Canceled or context.DeadlineExceeded (or the parent's
// error), as the standard context would.
func (c *requestCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.std == nil && !c.isDone() {
		return nil
	}
	return c.standard().Err()
}

// Value answers requestInfoKey with the request's info, crm.ScopeKey with the authenticated user's scope (once
// authenticated; the parent's before), and every other key as the parent (or the standard context it became) does.
func (c *requestCtx) Value(key any) any {
	switch key.(type) {
	case requestInfoKey:
		return &c.info
	case crm.ScopeKey:
		if c.info.authed {
			return &c.info.scope
		}
	}
	c.mu.Lock()
	next := c.parent
	if c.std != nil || c.isDone() {
		next = c.standard() // so that context.Cause finds the cause of a done request
	}
	c.mu.Unlock()
	return next.Value(key)
}

func (c *requestCtx) String() string { return "httpapi.requestContext" }

// isDone reports, before the standard context is made, whether it would already be done. Called with mu held.
func (c *requestCtx) isDone() bool {
	return c.ended || c.parent.Err() != nil || (!c.deadline.IsZero() && !time.Now().Before(c.deadline))
}

// standard returns the standard context the request's context behaves as, making it on first use. Called with mu
// held.
func (c *requestCtx) standard() context.Context {
	if c.std == nil {
		if c.deadline.IsZero() {
			c.std, c.cancel = context.WithCancel(c.parent)
		} else {
			c.std, c.cancel = context.WithDeadline(c.parent, c.deadline)
		}
		if c.ended {
			c.cancel()
		}
	}
	return c.std
}

// end marks the request ended: its context is done with context.Canceled (unless done already).
func (c *requestCtx) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ended = true
	if c.cancel != nil {
		c.cancel()
	}
}

// detachedCtx is the request's context without its cancellation (context.WithoutCancel, without an allocation):
// what the request log line is written with, after the request may have been cancelled.
type detachedCtx struct{ c *requestCtx }

func (detachedCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (detachedCtx) Done() <-chan struct{}       { return nil }
func (detachedCtx) Err() error                  { return nil }
func (d detachedCtx) Value(key any) any         { return d.c.Value(key) }

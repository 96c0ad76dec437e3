package sales

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"
)

// Fingerprint identifies what a renderer prints from c: a SHA-256 (hex) of its data with the date reduced to the
// calendar day in its own location, which is all a contract shows of it. Two contracts with one fingerprint
// print alike, so a rendered file can be reused for either (RenderCache, GenerateContract). A contract of a
// sale still open is dated today, so its fingerprint changes at midnight, as its printout does.
func (c Contract) Fingerprint() string {
	day := c.Date.Format(time.DateOnly)
	c.Date = time.Time{}
	data, err := json.Marshal(struct {
		Day      string   `json:"day"`
		Contract Contract `json:"contract"`
	}{day, c})
	if err != nil { // a Contract is plain data; marshalling cannot fail, but never let two contracts share a key
		return "unhashable:" + err.Error()
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// DefaultRenderCacheBytes is the default budget of a RenderCache: 32 MiB of rendered files.
const DefaultRenderCacheBytes = 32 << 20

// RenderCache is a ContractRenderer that renders each distinct contract (by Fingerprint) once and answers
// again from memory: fetching an unchanged contract repeatedly costs one render, whoever asks. It keeps at most
// its byte budget of files, dropping the least recently used; a file larger than an eighth of the budget is
// rendered every time rather than evict everything else. Concurrent requests for one contract wait for a single
// render. Safe for concurrent use.
type RenderCache struct {
	r      ContractRenderer
	budget int64

	mu       sync.Mutex
	size     int64
	order    *list.List // of *cached, most recent first
	entries  map[string]*list.Element
	inflight map[string]*renderCall
	renders  int64
}

type cached struct {
	key  string
	data []byte
}

type renderCall struct {
	done chan struct{}
	data []byte
	err  error
}

var _ ContractRenderer = (*RenderCache)(nil)

// NewRenderCache returns a cache over r holding up to budget bytes (DefaultRenderCacheBytes when not positive).
func NewRenderCache(r ContractRenderer, budget int64) *RenderCache {
	if budget <= 0 {
		budget = DefaultRenderCacheBytes
	}
	return &RenderCache{r: r, budget: budget, order: list.New(), entries: map[string]*list.Element{},
		inflight: map[string]*renderCall{}}
}

// ContentType is the wrapped renderer's.
func (c *RenderCache) ContentType() string { return c.r.ContentType() }

// Renders returns how many times the wrapped renderer ran (for tests and metrics).
func (c *RenderCache) Renders() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.renders
}

// Render returns the file of ct: from memory when a contract with its fingerprint was rendered before, else
// rendered by the wrapped renderer (errors are its own, never cached). The caller must not change the bytes.
func (c *RenderCache) Render(ctx context.Context, ct Contract) ([]byte, error) {
	key := ct.Fingerprint()
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		data := e.Value.(*cached).data
		c.mu.Unlock()
		return data, nil
	}
	if call, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-call.done:
			if call.err == nil {
				return call.data, nil
			}
			return c.r.Render(ctx, ct) // the first caller's failure (its deadline, say) is not ours
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &renderCall{done: make(chan struct{})}
	c.inflight[key] = call
	c.renders++
	c.mu.Unlock()

	call.data, call.err = c.r.Render(ctx, ct)

	c.mu.Lock()
	delete(c.inflight, key)
	if call.err == nil {
		c.put(key, call.data)
	}
	c.mu.Unlock()
	close(call.done)
	return call.data, call.err
}

// put keeps data under key, evicting the least recently used files beyond the budget; c.mu is held.
func (c *RenderCache) put(key string, data []byte) {
	n := int64(len(data))
	if n > c.budget/8 {
		return
	}
	c.entries[key] = c.order.PushFront(&cached{key: key, data: data})
	c.size += n
	for c.size > c.budget {
		last := c.order.Back()
		e := last.Value.(*cached)
		c.order.Remove(last)
		delete(c.entries, e.key)
		c.size -= int64(len(e.data))
	}
}

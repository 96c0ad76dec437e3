package httpapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the LogBuffer's flusher and the test to share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestLogBuffer: lines arrive whole and in order, by the interval without a Flush, all of them on Close; writes
// after Close fail.
func TestLogBuffer(t *testing.T) {
	var out lockedBuffer
	b := NewLogBuffer(&out, 10*time.Millisecond)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				_, _ = fmt.Fprintf(b, "g=%d i=%d\n", g, i)
			}
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(out.String(), "\n") < 2000 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := strings.Count(out.String(), "\n"); n != 2000 {
		t.Fatalf("%d lines written by the interval, want 2000", n)
	}
	next := map[string]int{}
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		var g, i int
		if _, err := fmt.Sscanf(line, "g=%d i=%d", &g, &i); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if key := fmt.Sprint(g); next[key] != i {
			t.Fatalf("goroutine %d: line %d after %d", g, i, next[key]-1)
		}
		next[fmt.Sprint(g)]++
	}
	_, _ = io.WriteString(b, "last\n")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "last\n") {
		t.Error("Close did not write the buffer out")
	}
	if _, err := io.WriteString(b, "late\n"); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("a write after Close: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

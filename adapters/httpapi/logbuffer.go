package httpapi

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// LogBuffer batches log lines (the request log's one line per request, say) on their way to w, so that a busy
// server makes one write per batch instead of a system call per line: a line is buffered, and the buffer is
// written out when it fills, every interval, and on Flush and Close. Lines are written whole and in order; a line
// buffered but not yet written is lost if the process dies. Safe for concurrent use. Give it to the handler's
// logger: slog.New(slog.NewTextHandler(httpapi.NewLogBuffer(os.Stderr, 100*time.Millisecond), nil)).
type LogBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	err  error
	stop chan struct{}
	done chan struct{}
}

// NewLogBuffer buffers up to 64 KiB for w and writes it out at least every interval (at most one interval late; 0
// or less: only when full, on Flush and on Close).
func NewLogBuffer(w io.Writer, interval time.Duration) *LogBuffer {
	b := &LogBuffer{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	if interval <= 0 {
		close(b.done)
		return b
	}
	go func() {
		defer close(b.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-t.C:
				_ = b.Flush()
			}
		}
	}()
	return b
}

// Write buffers p (one or more whole lines, as a slog handler writes them).
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	return b.w.Write(p)
}

// Flush writes out what is buffered.
func (b *LogBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return b.err
	}
	return b.w.Flush()
}

// Close stops the periodic writes and writes out what is buffered; later writes fail with io.ErrClosedPipe.
func (b *LogBuffer) Close() error {
	select {
	case <-b.stop:
		return nil
	default:
	}
	close(b.stop)
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.w.Flush()
	b.err = io.ErrClosedPipe
	return err
}

// Package filestest is the conformance suite of crm.FileStore implementations, in the manner of
// testing/fstest: an adapter's test calls Run with a function that opens a fresh, empty store.
//
//	func TestDir(t *testing.T) {
//		filestest.Run(t, func(t *testing.T) crm.FileStore {
//			d, err := files.NewDir(t.TempDir())
//			if err != nil {
//				t.Fatal(err)
//			}
//			return d
//		})
//	}
package filestest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
)

// Goroutines is how many goroutines the concurrency test runs.
const Goroutines = 50

// Run tests a FileStore: round trips, overwrites, missing keys (crm.ErrNotFound), bad keys (crm.ErrInvalid),
// copies on the way in and out, a cancelled context, and concurrent writers and readers. open must return
// a new, empty store each time it is called.
func Run(t *testing.T, open func(t *testing.T) crm.FileStore) {
	ctx := context.Background()
	t.Run("PutGet", func(t *testing.T) {
		s := open(t)
		cases := map[string][]byte{
			"dealers/d1/sales/s1/contract-42.pdf": []byte("%PDF-1.7 …"),
			"документы/договор № 1.pdf":           []byte("Договор купли-продажи"),
			"empty.bin":            {},
			"binary":               {0, 1, 2, 0xff, 0xfe, '\n', '\r'},
			"a/b/c/d/e/f/deep.txt": []byte("deep"),
		}
		for key, data := range cases {
			if err := s.Put(ctx, key, data, "application/octet-stream"); err != nil {
				t.Fatalf("Put(%q): %v", key, err)
			}
		}
		for key, want := range cases {
			got, err := s.Get(ctx, key)
			if err != nil {
				t.Fatalf("Get(%q): %v", key, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Get(%q) = %q, want %q", key, got, want)
			}
		}
	})
	t.Run("Overwrite", func(t *testing.T) {
		s := open(t)
		key := "dealers/d1/contract.pdf"
		mustPut(t, s, key, []byte("first version, longer than the second"))
		mustPut(t, s, key, []byte("second"))
		if got := mustGet(t, s, key); string(got) != "second" {
			t.Errorf("after overwrite Get = %q, want %q", got, "second")
		}
	})
	t.Run("Missing", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, "dealers/d1/a.pdf", []byte("a"))
		for _, key := range []string{"dealers/d1/b.pdf", "dealers/d2/a.pdf", "dealers/d1", "nothing"} {
			if _, err := s.Get(ctx, key); !errors.Is(err, crm.ErrNotFound) {
				t.Errorf("Get(%q) = %v, want crm.ErrNotFound", key, err)
			}
		}
	})
	t.Run("BadKeys", func(t *testing.T) {
		s := open(t)
		for _, key := range BadKeys {
			if err := s.Put(ctx, key, []byte("x"), "text/plain"); !errors.Is(err, crm.ErrInvalid) {
				t.Errorf("Put(%q) = %v, want crm.ErrInvalid", key, err)
			}
			if _, err := s.Get(ctx, key); !errors.Is(err, crm.ErrInvalid) {
				t.Errorf("Get(%q) = %v, want crm.ErrInvalid", key, err)
			}
		}
	})
	t.Run("Copies", func(t *testing.T) {
		s := open(t)
		in := []byte("original")
		mustPut(t, s, "k", in)
		copy(in, "CHANGED!")
		out := mustGet(t, s, "k")
		if string(out) != "original" {
			t.Fatalf("changing the slice given to Put changed the store: %q", out)
		}
		copy(out, "CHANGED!")
		if again := mustGet(t, s, "k"); string(again) != "original" {
			t.Errorf("changing the slice Get returned changed the store: %q", again)
		}
	})
	t.Run("CancelledContext", func(t *testing.T) {
		s := open(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Put(cctx, "k", []byte("x"), "text/plain"); !errors.Is(err, context.Canceled) {
			t.Errorf("Put with a cancelled context = %v, want context.Canceled", err)
		}
		if _, err := s.Get(cctx, "k"); !errors.Is(err, context.Canceled) {
			t.Errorf("Get with a cancelled context = %v, want context.Canceled", err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		s := open(t)
		shared := "shared/contract.pdf"
		mustPut(t, s, shared, version(0))
		var wg sync.WaitGroup
		errs := make(chan error, 3*Goroutines)
		for i := range Goroutines {
			wg.Go(func() {
				own := fmt.Sprintf("own/%d.bin", i)
				if err := s.Put(ctx, own, version(i), "application/octet-stream"); err != nil {
					errs <- err
					return
				}
				if got, err := s.Get(ctx, own); err != nil || !bytes.Equal(got, version(i)) {
					errs <- fmt.Errorf("Get(%q) = %q, %v", own, got, err)
				}
				if err := s.Put(ctx, shared, version(i), "application/pdf"); err != nil {
					errs <- err
				}
				got, err := s.Get(ctx, shared)
				if err != nil || !isVersion(got) {
					errs <- fmt.Errorf("Get(%q) = %q, %v: a torn or missing file", shared, got, err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

// BadKeys are keys every store must refuse with crm.ErrInvalid.
var BadKeys = []string{
	"", "/etc/passwd", "../escape", "a/../../escape", "a/./b", "a//b", "a/", ".", "..", `a\b`, "C:/x",
	"a/\x00b", "line\nbreak", string([]byte{0xff, 0xfe}), string(bytes.Repeat([]byte("a"), 1025)),
}

// version is a payload of 4 KiB filled with one byte, so that a torn write is visible.
func version(i int) []byte { return bytes.Repeat([]byte{byte('A' + i%26)}, 4096) }

func isVersion(b []byte) bool {
	return len(b) == 4096 && bytes.Count(b, b[:1]) == len(b)
}

func mustPut(t *testing.T, s crm.FileStore, key string, data []byte) {
	t.Helper()
	if err := s.Put(context.Background(), key, data, "application/octet-stream"); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func mustGet(t *testing.T, s crm.FileStore, key string) []byte {
	t.Helper()
	b, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return b
}

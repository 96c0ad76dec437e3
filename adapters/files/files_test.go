package files_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/adapters/files/filestest"
	"github.com/dealercrm/dealercrm/crm"
)

func TestMemory(t *testing.T) {
	filestest.Run(t, func(*testing.T) crm.FileStore { return files.NewMemory() })
}

func TestMemoryZeroValue(t *testing.T) {
	filestest.Run(t, func(*testing.T) crm.FileStore { return &files.Memory{} })
}

func TestDir(t *testing.T) {
	filestest.Run(t, func(t *testing.T) crm.FileStore { return newDir(t) })
}

func newDir(t *testing.T) *files.Dir {
	t.Helper()
	d, err := files.NewDir(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMemoryKeepsContentType(t *testing.T) {
	m := files.NewMemory()
	if err := m.Put(context.Background(), "c.pdf", []byte("%PDF"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	if ct, ok := m.ContentType("c.pdf"); !ok || ct != "application/pdf" {
		t.Errorf("ContentType = %q, %v", ct, ok)
	}
	if m.Len() != 1 {
		t.Errorf("Len = %d, want 1", m.Len())
	}
}

func TestDirLayoutOnDisk(t *testing.T) {
	d := newDir(t)
	key := "dealers/d1/sales/s1/contract-42.pdf"
	if err := d.Put(context.Background(), key, []byte("%PDF"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(d.Root(), "dealers", "d1", "sales", "s1", "contract-42.pdf"))
	if err != nil || string(got) != "%PDF" {
		t.Fatalf("file on disk = %q, %v", got, err)
	}
	entries, err := os.ReadDir(filepath.Join(d.Root(), "dealers", "d1", "sales", "s1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestDirConflicts(t *testing.T) {
	ctx := context.Background()
	d := newDir(t)
	if err := d.Put(ctx, "a", []byte("file"), ""); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "a/b", []byte("x"), ""); !errors.Is(err, crm.ErrConflict) {
		t.Errorf("Put under a file = %v, want crm.ErrConflict", err)
	}
	if err := d.Put(ctx, "dir/x", []byte("x"), ""); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "dir", []byte("x"), ""); !errors.Is(err, crm.ErrConflict) {
		t.Errorf("Put over a directory = %v, want crm.ErrConflict", err)
	}
	if _, err := d.Get(ctx, "a/b"); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("Get under a file = %v, want crm.ErrNotFound", err)
	}
}

func TestDirDoesNotFollowLinksOutside(t *testing.T) {
	ctx := context.Background()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := newDir(t)
	if err := os.Symlink(outside, filepath.Join(d.Root(), "link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if b, err := d.Get(ctx, "link/secret"); err == nil {
		t.Errorf("read %q through a link leaving the root", b)
	}
	if err := d.Put(ctx, "link/planted", []byte("x"), ""); err == nil {
		t.Error("wrote through a link leaving the root")
	}
	if _, err := os.Stat(filepath.Join(outside, "planted")); err == nil {
		t.Error("a file was planted outside the root")
	}
}

func TestNewDirNeedsRoot(t *testing.T) {
	if _, err := files.NewDir(""); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("NewDir(\"\") = %v, want crm.ErrInvalid", err)
	}
}

func TestValidKey(t *testing.T) {
	for _, key := range []string{"a", "a/b.pdf", "dealers/8d1b/sales/77aa/contract-ДКП-2026-42.pdf", ".hidden", "a b/c d"} {
		if err := files.ValidKey(key); err != nil {
			t.Errorf("ValidKey(%q) = %v, want nil", key, err)
		}
	}
	for _, key := range filestest.BadKeys {
		err := files.ValidKey(key)
		if !errors.Is(err, crm.ErrInvalid) {
			t.Errorf("ValidKey(%q) = %v, want crm.ErrInvalid", key, err)
		}
		if fs := crm.FieldsOf(err); len(fs) != 1 || fs[0].Field != "key" {
			t.Errorf("ValidKey(%q) fields = %v, want one about key", strings.ToValidUTF8(key, "?"), fs)
		}
	}
}

package files

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/dealercrm/dealercrm/crm"
)

// Dir is a crm.FileStore in a directory: the key "a/b/c.pdf" is the file <root>/a/b/c.pdf. Writes are atomic
// (a temporary file in the same directory, synced, then renamed over the old one), so a reader sees the old
// bytes or the new, never a torn file. Every access goes through os.Root, so neither a key nor a symbolic
// link inside the root can reach outside it. The content type is not kept: it belongs to the crm.Document
// record. Dir is safe for concurrent use, also by several processes sharing the directory.
//
// Unlike Memory, a key cannot be both a file and a directory: with "a" stored, Put("a/b") fails with
// crm.KindConflict.
type Dir struct {
	root string
}

var _ crm.FileStore = (*Dir)(nil)

// Permissions of what Dir creates.
const (
	dirPerm  fs.FileMode = 0o750
	filePerm fs.FileMode = 0o640
)

// NewDir returns a store under root, creating the directory if needed.
func NewDir(root string) (*Dir, error) {
	if root == "" {
		return nil, crm.Invalid("files.NewDir", crm.FieldError{Field: "root", Message: "is required"})
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("files.NewDir: %w", err)
	}
	if err := os.MkdirAll(abs, dirPerm); err != nil {
		return nil, fmt.Errorf("files.NewDir: %w", err)
	}
	return &Dir{root: abs}, nil
}

// Root returns the absolute path of the store's directory.
func (d *Dir) Root() string { return d.root }

// Put writes data under key atomically, creating directories as needed and replacing what was there. It
// returns crm.KindInvalid for a bad key (see ValidKey), crm.KindConflict when the key's path is taken by a
// directory or runs through a file, the context's error when ctx is done, and an internal error when the disk
// fails.
func (d *Dir) Put(ctx context.Context, key string, data []byte, _ string) (err error) {
	const op = "files.Dir.Put"
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ValidKey(key); err != nil {
		return err
	}
	root, err := os.OpenRoot(d.root)
	if err != nil {
		return crm.E(crm.KindInternal, op, err)
	}
	defer root.Close()
	name := filepath.FromSlash(key)
	dir := filepath.Dir(name)
	if err := root.MkdirAll(dir, dirPerm); err != nil {
		return d.mapPutErr(root, op, key, err)
	}
	tmp, f, err := createTemp(root, dir, path.Base(key))
	if err != nil {
		return d.mapPutErr(root, op, key, err)
	}
	defer func() {
		if err != nil {
			_ = root.Remove(tmp)
		}
	}()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return crm.E(crm.KindInternal, op, err)
	}
	if err := root.Rename(tmp, name); err != nil {
		return d.mapPutErr(root, op, key, err)
	}
	syncDir(root, dir)
	return nil
}

// Get returns the bytes under key. It returns crm.KindNotFound when there is no file there, crm.KindInvalid
// for a bad key, the context's error when ctx is done, and an internal error when the disk fails.
func (d *Dir) Get(ctx context.Context, key string) ([]byte, error) {
	const op = "files.Dir.Get"
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := ValidKey(key); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(d.root)
	if err != nil {
		return nil, crm.E(crm.KindInternal, op, err)
	}
	defer root.Close()
	name := filepath.FromSlash(key)
	data, err := root.ReadFile(name)
	if err == nil {
		return data, nil
	}
	if errors.Is(err, fs.ErrNotExist) || isDir(root, name) || notDirInPath(err) {
		return nil, crm.NotFound(op, "no file under %q", key)
	}
	return nil, crm.E(crm.KindInternal, op, err)
}

// mapPutErr classifies a failure to create the key's directories or file: a path taken by a file or a
// directory is a conflict, anything else internal.
func (d *Dir) mapPutErr(root *os.Root, op, key string, err error) error {
	if isDir(root, filepath.FromSlash(key)) || notDirInPath(err) || errors.Is(err, fs.ErrExist) {
		return &crm.Error{Kind: crm.KindConflict, Op: op, Message: fmt.Sprintf("key %q collides with a file or directory", key), Err: err}
	}
	return crm.E(crm.KindInternal, op, err)
}

// createTemp creates a new, empty, uniquely named file beside the target, named after it.
func createTemp(root *os.Root, dir, base string) (string, *os.File, error) {
	for range 10 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		name := filepath.Join(dir, ".tmp-"+base+"-"+hex.EncodeToString(b[:]))
		f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, f, err
	}
	return "", nil, errors.New("could not create a temporary file")
}

// syncDir flushes a directory entry to disk after a rename, so the new file survives a crash. Best effort:
// some systems cannot sync directories.
func syncDir(root *os.Root, dir string) {
	if f, err := root.Open(dir); err == nil {
		_ = f.Sync()
		_ = f.Close()
	}
}

func isDir(root *os.Root, name string) bool {
	fi, err := root.Stat(name)
	return err == nil && fi.IsDir()
}

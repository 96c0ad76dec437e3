package files

import (
	"context"
	"sync"

	"github.com/dealercrm/dealercrm/crm"
)

// Memory is a crm.FileStore in a map: for tests, examples and single-process embedding. It copies bytes on
// the way in and out, so callers cannot change what is stored. The zero value is ready to use; it is safe for
// concurrent use.
type Memory struct {
	mu    sync.RWMutex
	files map[string]memoryFile
}

type memoryFile struct {
	data        []byte
	contentType string
}

var _ crm.FileStore = (*Memory)(nil)

// NewMemory returns an empty store.
func NewMemory() *Memory { return &Memory{} }

// Put stores a copy of data under key, replacing what was there. It returns crm.KindInvalid for a bad key
// (see ValidKey) and the context's error when ctx is done.
func (m *Memory) Put(ctx context.Context, key string, data []byte, contentType string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ValidKey(key); err != nil {
		return err
	}
	f := memoryFile{data: append(make([]byte, 0, len(data)), data...), contentType: contentType}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = make(map[string]memoryFile)
	}
	m.files[key] = f
	return nil
}

// Get returns a copy of the bytes under key. It returns crm.KindNotFound when there are none, crm.KindInvalid
// for a bad key, and the context's error when ctx is done.
func (m *Memory) Get(ctx context.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := ValidKey(key); err != nil {
		return nil, err
	}
	m.mu.RLock()
	f, ok := m.files[key]
	m.mu.RUnlock()
	if !ok {
		return nil, crm.NotFound("files.Memory.Get", "no file under %q", key)
	}
	return append(make([]byte, 0, len(f.data)), f.data...), nil
}

// ContentType returns the content type data was stored with under key, and whether there is such a file.
func (m *Memory) ContentType(key string) (string, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	f, ok := m.files[key]
	return f.contentType, ok
}

// Len returns the number of files stored.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.files)
}

package httpapi

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"sync"
)

// jsonBuffers are the buffers responses are encoded into, reused across requests: a body is encoded into one
// and written with one Write, so encoding a response allocates no buffer of its own.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer is the largest buffer put back into jsonBuffers (a huge list does not stay pinned).
const maxPooledBuffer = 1 << 20

// writeJSON writes v as the JSON body with status: the bytes json.Marshal writes, and a newline.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			jsonBuffers.Put(buf)
		}
	}()
	if err := json.NewEncoder(buf).Encode(v); err != nil { // Encode escapes HTML and adds the newline, as before
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// writeRecord writes a single record with its ETag.
func writeRecord(w http.ResponseWriter, status int, version int64, v any) error {
	setETag(w, version)
	return writeJSON(w, status, v)
}

// writeBytes writes a document body (PDF, HTML) of the given media type.
func writeBytes(w http.ResponseWriter, contentType, filename string, b []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	if filename != "" {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": filename}))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

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
var jsonBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooledBuffer is the largest buffer put back into jsonBuffers (a huge list does not stay pinned).
const maxPooledBuffer = 1 << 20

// writeJSON writes v as the JSON body with status: the bytes json.Marshal writes, and a newline. A view with a
// generated appender (jsonenc_gen.go) is encoded without reflection; anything else through encoding/json.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	bp := getBuffer()
	defer putBuffer(bp)
	b := *bp
	if a, ok := v.(jsonAppender); ok {
		b = a.appendJSON(b)
	} else {
		buf := bytes.NewBuffer(b)
		if err := json.NewEncoder(buf).Encode(v); err != nil { // Encode escapes HTML and adds the newline, as json.Marshal
			return err
		}
		b = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	}
	*bp = b
	writeEncoded(w, status, b)
	return nil
}

// getBuffer returns an empty buffer from jsonBuffers; give it back with putBuffer, with *bp set to what was
// appended to it.
func getBuffer() *[]byte {
	bp := jsonBuffers.Get().(*[]byte)
	*bp = (*bp)[:0]
	return bp
}

// putBuffer gives bp back to jsonBuffers, unless it grew too large to keep.
func putBuffer(bp *[]byte) {
	if cap(*bp) <= maxPooledBuffer {
		*bp = (*bp)[:0]
		jsonBuffers.Put(bp)
	}
}

// writeEncoded writes b, one JSON value, as the JSON body with status, and a newline (b's capacity permitting,
// in the same write).
func writeEncoded(w http.ResponseWriter, status int, b []byte) {
	b = append(b, '\n')
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// jsonContentType is the Content-Type of every JSON body, shared by all responses (a header value nobody
// changes in place; Header.Add would append to a copy, its capacity being its length).
var jsonContentType = []string{"application/json"}

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

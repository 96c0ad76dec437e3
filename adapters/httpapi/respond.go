package httpapi

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
)

// writeJSON writes v as the JSON body with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
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

package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// isList reports whether rt answers a list (listOut).
func (rt route) isList() bool {
	_, ok := rt.Out.(listSample)
	return ok
}

// wantsCount reads the count query parameter of a list request: "true" or "false" (absent: false).
func wantsCount(r *http.Request) (bool, error) {
	switch s := queryOf(r).Get("count"); s {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, invalidField("count", "must be true or false")
	}
}

// bufferedWriter keeps a handler's answer so that it can be amended before it is sent.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

// serveCounted answers a list request with count=true: the page as asked, plus "total" — the number of items
// the whole list holds with the same filters, counted by reading the same list from its start, page after page of
// the largest size, through the same handler (so the count cannot disagree with the list). Counting stops at
// Limits.CountCap items: then total is the cap and "total_estimated" is true (the list holds at least that many).
func (h *Handler) serveCounted(w http.ResponseWriter, r *http.Request, rt route) error {
	first := &bufferedWriter{header: http.Header{}}
	if err := rt.handle(first, r); err != nil {
		return err
	}
	total, estimated, err := h.countList(r, rt)
	if err != nil {
		return err
	}
	body := bytes.TrimRight(first.body.Bytes(), "\n")
	if first.status == http.StatusOK && bytes.HasSuffix(body, []byte("}")) {
		body = append(body[:len(body)-1:len(body)-1],
			[]byte(`,"total":`+strconv.Itoa(total)+`,"total_estimated":`+strconv.FormatBool(estimated)+"}\n")...)
	}
	for k, v := range first.header {
		w.Header()[k] = v
	}
	w.WriteHeader(first.status)
	_, _ = w.Write(body)
	return nil
}

// countList counts the items of the list r asks for, from its start, up to the cap.
func (h *Handler) countList(r *http.Request, rt route) (total int, estimated bool, err error) {
	cursor := ""
	for {
		q := r.URL.Query()
		q.Del("count")
		q.Set("limit", strconv.Itoa(h.limits.MaxPageSize))
		q.Del("cursor")
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		pr := r.Clone(r.Context())
		pr.URL.RawQuery = q.Encode()
		bw := &bufferedWriter{header: http.Header{}}
		if err := rt.handle(bw, pr); err != nil {
			return 0, false, err
		}
		var page struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor *string           `json:"next_cursor"`
		}
		if bw.status != http.StatusOK {
			return 0, false, fmt.Errorf("httpapi: counting %s: a page answered %d", rt.Path, bw.status)
		}
		if err := json.Unmarshal(bw.body.Bytes(), &page); err != nil {
			return 0, false, fmt.Errorf("httpapi: counting %s: %w", rt.Path, err)
		}
		total += len(page.Items)
		if total >= h.limits.CountCap {
			return h.limits.CountCap, page.NextCursor != nil || total > h.limits.CountCap, nil
		}
		if page.NextCursor == nil {
			return total, false, nil
		}
		cursor = *page.NextCursor
	}
}

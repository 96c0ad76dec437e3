package httpapi

import (
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
)

// page is the ?limit=&cursor= of a list request.
type page struct {
	Limit  int
	Cursor string
}

// pageOf reads limit (default Limits.DefaultPageSize, at most Limits.MaxPageSize; anything else is a 422 naming
// limit) and the opaque cursor of the previous page.
func (h *Handler) pageOf(r *http.Request) (page, error) {
	q := queryOf(r)
	pg := page{Limit: h.limits.DefaultPageSize, Cursor: q.Get("cursor")}
	if s := q.Get("limit"); s != "" {
		var p crm.Problems
		n := parseIntQuery(&p, "limit", s)
		if err := p.Err("httpapi"); err != nil {
			return page{}, err
		}
		if n < 1 || n > h.limits.MaxPageSize {
			return page{}, invalidField("limit", fmt.Sprintf("must be between 1 and %d", h.limits.MaxPageSize))
		}
		pg.Limit = n
	}
	return pg, nil
}

// listOut is every list response: {"items": [...], "next_cursor": "..." | null}, and with ?count=true also
// "total" and "total_estimated" (added by serveCounted).
type listOut[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
	// Total and TotalEstimated are never set here: serveCounted adds them; they are declared for the document.
	Total          int  `json:"total,omitempty" doc:"with count=true: how many items the whole list holds (at most the server's count cap)"`
	TotalEstimated bool `json:"total_estimated,omitempty" doc:"with count=true: true when counting stopped at the cap, so the list holds at least total items"`
}

// itemSample tells the OpenAPI generator the item type of a list.
func (listOut[T]) itemSample() any { var t T; return t }

// listOf builds a list response; items is never null and next "" is null.
func listOf[T any](items []T, next string) listOut[T] {
	if items == nil {
		items = []T{}
	}
	out := listOut[T]{Items: items}
	if next != "" {
		out.NextCursor = &next
	}
	return out
}

// writeList writes a page of a list: items converted with view, and the cursor of the next page ("" at the end).
// When the view type has a generated appender (jsonenc_gen.go), each item is converted and encoded in turn into
// one reused view, with no slice of views; the bytes are those of listOf(mapList(items, view), next).
func writeList[T, V any](w http.ResponseWriter, items []T, view func(T) V, next string) error {
	if _, ok := any((*V)(nil)).(jsonPtrAppender); !ok {
		return writeJSON(w, http.StatusOK, listOf(mapList(items, view), next))
	}
	return writeJSON(w, http.StatusOK, mappedList[T, V]{items: items, view: view, next: next})
}

// mappedList is a list response whose items become views while they are encoded (see writeList).
type mappedList[T, V any] struct {
	items []T
	view  func(T) V
	next  string
}

// appendJSON appends what listOut's appender appends for listOf(mapList(l.items, l.view), l.next).
func (l mappedList[T, V]) appendJSON(b []byte) []byte {
	b = append(b, `{"items":[`...)
	v := new(V) // one view, overwritten by each item
	enc := any(v).(jsonPtrAppender)
	for i, it := range l.items {
		if i > 0 {
			b = append(b, ',')
		}
		*v = l.view(it)
		b = enc.appendJSONTo(b)
	}
	return appendListEnd(b, l.next)
}

// appendListEnd appends what ends a list response after its last item: the next page's cursor ("" is null).
func appendListEnd(b []byte, next string) []byte {
	b = append(b, `],"next_cursor":`...)
	if next == "" {
		return append(b, "null}"...)
	}
	b = appendJSONString(b, next)
	return append(b, '}')
}

// readList writes a page of a list read through a function that hands each item to a callback instead of
// returning copies (catalog.Service.ReadVehicles), and returns the next page's cursor: encode appends each item's
// view while the item is read (appendVehicleJSON), and the page is written after. The bytes are writeList's for the
// same items and view.
func readList[T any](w http.ResponseWriter, read func(fn func(*T) error) (next string, err error), encode func(b []byte, item *T) []byte) error {
	bp := getBuffer()
	defer putBuffer(bp)
	const start = `{"items":[`
	*bp = append(*bp, start...)
	next, err := read(func(it *T) error { // captures nothing it changes: one allocation, the closure
		if len(*bp) > len(start) {
			*bp = append(*bp, ',')
		}
		*bp = encode(*bp, it)
		return nil
	})
	if err != nil {
		return err
	}
	*bp = appendListEnd(*bp, next)
	writeEncoded(w, http.StatusOK, *bp)
	return nil
}

// mapList converts each item with view.
func mapList[T, V any](items []T, view func(T) V) []V {
	out := make([]V, 0, len(items))
	for _, it := range items {
		out = append(out, view(it))
	}
	return out
}

// paginate pages through a list the service returns whole (directories, a lead's test drives): the cursor is the
// key of the last item of the previous page. A cursor naming no item of the list is a 422 naming cursor.
func paginate[T any](all []T, key func(T) string, pg page) ([]T, string, error) {
	start := 0
	if pg.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(pg.Cursor)
		if err != nil {
			return nil, "", invalidField("cursor", "is not a cursor of this list")
		}
		start = -1
		for i, it := range all {
			if key(it) == string(raw) {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, "", invalidField("cursor", "is not a cursor of this list")
		}
	}
	end := min(start+pg.Limit, len(all))
	items := all[start:end]
	next := ""
	if end < len(all) && len(items) > 0 {
		next = base64.RawURLEncoding.EncodeToString([]byte(key(items[len(items)-1])))
	}
	return items, next, nil
}

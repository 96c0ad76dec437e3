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
	q := r.URL.Query()
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

package catalog

import (
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// PartQuery filters and pages a spare-part search; parts come ordered by number, then ID. Zero fields do not
// filter.
type PartQuery struct {
	Text    string // case-insensitive substring of "number name"
	Model   string // compatible with this model (case-insensitive)
	InStock bool   // only parts with a positive quantity
	Limit   int    // page size; 0 means 50, at most 500
	Cursor  string // from the previous page's NextCursor; "" for the first page
}

// PartPage is one page of a part search.
type PartPage struct {
	Items      []Part
	NextCursor string // "" when this is the last page
}

// PartAfter is where a page of parts starts: just after the part with this number and ID.
type PartAfter struct {
	Number string
	ID     crm.ID
}

// partList is the list of parts, by number.
var partList = crm.List{Name: "parts", Order: "number asc"}

// Prepare validates q and returns it ready for an adapter: Text and Model trimmed and lower-cased, the limit
// defaulted to 50 (at most 500), the cursor decoded (nil for the first page). It returns a crm.KindInvalid error
// naming "cursor" for a bad cursor.
func (q PartQuery) Prepare() (PartQuery, *PartAfter, error) {
	q.Text = strings.ToLower(strings.TrimSpace(q.Text))
	q.Model = strings.ToLower(strings.TrimSpace(q.Model))
	q.Limit = crm.PageLimit(q.Limit)
	if q.Cursor == "" {
		return q, nil, nil
	}
	key, id, err := partList.Decode("catalog.PartQuery", q.Cursor)
	if err != nil {
		return PartQuery{}, nil, err
	}
	return q, &PartAfter{Number: key, ID: id}, nil
}

// Match reports whether p passes q's filters (q prepared); the reference meaning that every adapter agrees with.
func (q PartQuery) Match(p *Part) bool {
	if q.InStock && p.Quantity <= 0 {
		return false
	}
	if q.Model != "" && !p.compatibleLower(q.Model) {
		return false
	}
	return q.Text == "" || containsLower(q.Text, p.Number, p.Name)
}

func (p *Part) compatibleLower(lower string) bool {
	for _, m := range p.CompatibleModels {
		if equalLower(m, lower) {
			return true
		}
	}
	return false
}

// Compare orders a and b by number (as bytes), then ID: negative when a comes first.
func (q PartQuery) Compare(a, b *Part) int {
	if c := strings.Compare(a.Number, b.Number); c != 0 {
		return c
	}
	return compareID(a.ID, b.ID)
}

// After reports whether p comes after the position a (every part does when a is nil).
func (q PartQuery) After(p *Part, a *PartAfter) bool {
	if a == nil {
		return true
	}
	return q.Compare(p, &Part{Meta: crm.Meta{ID: a.ID}, Number: a.Number}) > 0
}

// CursorAfter returns the cursor of the page that follows p.
func (q PartQuery) CursorAfter(p *Part) string {
	return partList.Cursor(p.Number, p.ID)
}

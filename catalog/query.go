package catalog

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// VehicleSort names the order of a vehicle search.
type VehicleSort string

// Sort orders. Every order is made total by the vehicle ID, so keyset pages are stable.
const (
	SortCreated VehicleSort = "created_at"
	SortPrice   VehicleSort = "price" // list price amount
	SortYear    VehicleSort = "year"
)

// Valid reports whether s is a known order.
func (s VehicleSort) Valid() bool { return slices.Contains(VehicleSorts(), s) }

// VehicleQuery filters, orders and pages a vehicle search. Zero fields do not filter.
type VehicleQuery struct {
	Status     []Status // any of these statuses
	Make       string   // exact, case-insensitive
	Model      string   // exact, case-insensitive
	Trim       string   // exact, case-insensitive
	Generation string   // exact, case-insensitive (the card's generation)
	// ConfigurationID: cards built from this configuration of the directory (VehicleBuild).
	ConfigurationID crm.ID
	Option          string           // cards whose build has this option (a code; directly or in a pack)
	YearFrom        int              // model year, inclusive
	YearTo          int              // model year, inclusive
	PriceFrom       *decimal.Decimal // list price amount, inclusive
	PriceTo         *decimal.Decimal // list price amount, inclusive
	Text            string           // case-insensitive substring of "make model trim VIN"
	ExternalID      string           // exact: the card with this external ID (at most one)
	Sort            VehicleSort      // default created_at
	Desc            bool             // descending (the ID tie-break descends too)
	Limit           int              // page size; 0 means 50, at most 500
	Cursor          string           // from the previous page's NextCursor; "" for the first page
}

// VehiclePage is one page of a vehicle search.
type VehiclePage struct {
	Items      []Vehicle
	NextCursor string // "" when this is the last page
}

// VehicleAfter is where a page starts: just after the vehicle with these sort values, in the query's order. Only
// the value of the query's sort key and the ID are set.
type VehicleAfter struct {
	CreatedAt time.Time
	Price     decimal.Decimal
	Year      int
	ID        crm.ID
}

// Prepare validates q and returns it ready for an adapter: text filters trimmed and lower-cased, the sort
// defaulted to created_at, the limit to 50 (at most 500), and the cursor decoded (nil for the first page). It
// returns a crm.KindInvalid error naming each bad field: status, sort, year_to, price_to, cursor.
func (q VehicleQuery) Prepare() (VehicleQuery, *VehicleAfter, error) {
	const op = "catalog.VehicleQuery"
	var p crm.Problems
	for _, s := range q.Status {
		if !s.Valid() {
			p.Add("status", "%q is not a vehicle status", s)
		}
	}
	q.Status = append([]Status(nil), q.Status...)
	q.Make = strings.ToLower(strings.TrimSpace(q.Make))
	q.Model = strings.ToLower(strings.TrimSpace(q.Model))
	q.Trim = strings.ToLower(strings.TrimSpace(q.Trim))
	q.Generation = strings.ToLower(strings.TrimSpace(q.Generation))
	q.Option = strings.ToUpper(strings.TrimSpace(q.Option))
	q.Text = strings.ToLower(strings.TrimSpace(q.Text))
	if q.Sort == "" {
		q.Sort = SortCreated
	} else if !q.Sort.Valid() {
		p.Add("sort", "must be created_at, price or year")
	}
	if q.YearFrom != 0 && q.YearTo != 0 && q.YearFrom > q.YearTo {
		p.Add("year_to", "must not be before year_from")
	}
	if q.PriceFrom != nil && q.PriceTo != nil && q.PriceFrom.GreaterThan(*q.PriceTo) {
		p.Add("price_to", "must not be below price_from")
	}
	q.Limit = crm.PageLimit(q.Limit)
	if err := p.Err(op); err != nil {
		return VehicleQuery{}, nil, err
	}
	if q.Cursor == "" {
		return q, nil, nil
	}
	key, id, err := q.list().Decode(op, q.Cursor)
	if err != nil {
		return VehicleQuery{}, nil, err
	}
	a := &VehicleAfter{ID: id}
	bad := crm.Invalid(op, crm.FieldError{Field: "cursor", Message: "is not a cursor of this list"})
	switch q.Sort {
	case SortCreated:
		if a.CreatedAt, err = time.Parse(time.RFC3339Nano, key); err != nil {
			return VehicleQuery{}, nil, bad
		}
	case SortPrice:
		if a.Price, err = decimal.NewFromString(key); err != nil {
			return VehicleQuery{}, nil, bad
		}
	case SortYear:
		if a.Year, err = strconv.Atoi(key); err != nil {
			return VehicleQuery{}, nil, bad
		}
	}
	return q, a, nil
}

// list is the vehicle list in q's order, whose cursors carry both.
func (q VehicleQuery) list() crm.List {
	order := ""
	switch { // the orders of the sorts a prepared query has, without a concatenation each
	case q.Sort == SortCreated && !q.Desc:
		order = "created_at asc"
	case q.Sort == SortCreated:
		order = "created_at desc"
	case q.Sort == SortPrice && !q.Desc:
		order = "price asc"
	case q.Sort == SortPrice:
		order = "price desc"
	case q.Sort == SortYear && !q.Desc:
		order = "year asc"
	case q.Sort == SortYear:
		order = "year desc"
	case q.Desc:
		order = string(q.Sort) + " desc"
	default:
		order = string(q.Sort) + " asc"
	}
	return crm.List{Name: "vehicles", Order: order}
}

// CursorAfter returns the cursor of the page that follows v in q's order (q prepared).
func (q VehicleQuery) CursorAfter(v *Vehicle) string {
	var key string
	switch q.Sort {
	case SortPrice:
		key = v.Finance.ListPrice.Amount.String()
	case SortYear:
		key = strconv.Itoa(v.Year)
	default:
		key = v.CreatedAt.UTC().Format(time.RFC3339Nano)
	}
	return q.list().Cursor(key, v.ID)
}

// Match reports whether v passes q's filters (q prepared; the cursor is not looked at). It is the reference
// meaning of a search: the memory adapter runs it, and the SQL of other adapters must agree (the contract suite
// checks that they do).
func (q VehicleQuery) Match(v *Vehicle) bool {
	if len(q.Status) > 0 && !hasStatus(q.Status, v.Status) {
		return false
	}
	if q.Make != "" && !equalLower(v.Make, q.Make) ||
		q.Model != "" && !equalLower(v.Model, q.Model) ||
		q.Trim != "" && !equalLower(v.Trim, q.Trim) ||
		q.Generation != "" && !equalLower(v.Generation, q.Generation) {
		return false
	}
	if q.ConfigurationID != (crm.ID{}) && v.Build.ConfigurationID != q.ConfigurationID ||
		q.Option != "" && !v.Build.HasOption(q.Option) {
		return false
	}
	if q.YearFrom != 0 && v.Year < q.YearFrom || q.YearTo != 0 && v.Year > q.YearTo {
		return false
	}
	price := v.Finance.ListPrice.Amount
	if q.PriceFrom != nil && price.LessThan(*q.PriceFrom) || q.PriceTo != nil && price.GreaterThan(*q.PriceTo) {
		return false
	}
	if q.Text != "" && !containsLower(q.Text, v.Make, v.Model, v.Trim, string(v.VIN)) {
		return false
	}
	if q.ExternalID != "" && v.ExternalID != q.ExternalID {
		return false
	}
	return true
}

// Compare orders a and b as q sorts them (q prepared): negative when a comes first, positive when b does. Equal
// sort keys are ordered by ID (as bytes, the order of PostgreSQL's uuid), so only one vehicle compares 0 to a.
func (q VehicleQuery) Compare(a, b *Vehicle) int {
	c := 0
	switch q.Sort {
	case SortPrice:
		c = a.Finance.ListPrice.Amount.Cmp(b.Finance.ListPrice.Amount)
	case SortYear:
		c = cmpInt(a.Year, b.Year)
	default:
		c = a.CreatedAt.Compare(b.CreatedAt)
	}
	if c == 0 {
		c = compareID(a.ID, b.ID)
	}
	if q.Desc {
		return -c
	}
	return c
}

// After reports whether v comes after the position a in q's order (q prepared); every vehicle does when a is nil.
func (q VehicleQuery) After(v *Vehicle, a *VehicleAfter) bool {
	if a == nil {
		return true
	}
	at := Vehicle{Meta: crm.Meta{ID: a.ID, CreatedAt: a.CreatedAt}, Year: a.Year}
	at.Finance.ListPrice.Amount = a.Price
	return q.Compare(v, &at) > 0
}

// compareID orders IDs as bytes, which is how PostgreSQL orders uuid values.
func compareID(a, b crm.ID) int { return bytes.Compare(a[:], b[:]) }

func hasStatus(set []Status, s Status) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// equalLower reports whether strings.ToLower(s) == lower, without allocating: strings.ToLower maps each rune
// with unicode.ToLower, and so does this comparison.
func equalLower(s, lower string) bool {
	i, j := 0, 0
	for i < len(s) && j < len(lower) {
		a, b := s[i], lower[j]
		if a < utf8.RuneSelf && b < utf8.RuneSelf {
			if 'A' <= a && a <= 'Z' {
				a += 'a' - 'A'
			}
			if a != b {
				return false
			}
			i, j = i+1, j+1
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		q, m := utf8.DecodeRuneInString(lower[j:])
		if unicode.ToLower(r) != q {
			return false
		}
		i, j = i+n, j+m
	}
	return i == len(s) && j == len(lower)
}

// containsLower reports whether lower is a substring of the lower-cased fields joined by single spaces.
func containsLower(lower string, fields ...string) bool {
	var buf [256]byte
	b := buf[:0]
	for i, f := range fields {
		if i > 0 {
			b = append(b, ' ')
		}
		for j := 0; j < len(f); {
			c := f[j]
			if c < utf8.RuneSelf {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				b = append(b, c)
				j++
				continue
			}
			r, n := utf8.DecodeRuneInString(f[j:])
			b = utf8.AppendRune(b, unicode.ToLower(r))
			j += n
		}
	}
	return bytes.Contains(b, []byte(lower))
}

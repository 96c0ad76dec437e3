package crm

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"
)

// A List names one paged list and the order it is read in. It is the one way every list makes and reads its
// cursors: a cursor is opaque to callers, base64url of the JSON array [name, order, key, id] — the list's name and
// order, then the sort key and ID of the last item of the previous page — so a store reading a cursor through its
// List refuses one that another list made, or this list in another order, or one that was altered into something
// no list makes: crm.KindInvalid naming "cursor" (HTTP 422), never a page of the wrong list. The domain that
// declares a store declares its lists (leads.CalendarList, catalog's vehicles by their sort), so that every
// adapter's cursors are alike. A cursor binds the list and order, not the list's filters: a position in an order
// means the same under any filter (the page after it of what the filter keeps).
type List struct {
	Name  string // e.g. "test-drives"
	Order string // e.g. "start asc"
}

// Cursor returns the cursor of the page that follows the item with sort key key and ID id: the bytes json.Marshal
// writes for [4]string{l.Name, l.Order, key, id.String()}, written without reflection (AppendJSONString) into a
// buffer on the stack, in base64url.
func (l List) Cursor(key string, id ID) string {
	var buf [192]byte
	b := append(buf[:0], '[')
	b = AppendJSONString(b, l.Name)
	b = append(b, ',')
	b = AppendJSONString(b, l.Order)
	b = append(b, ',')
	b = AppendJSONString(b, key)
	b = append(b, ',', '"')
	b = appendIDText(b, id)
	b = append(b, '"', ']')
	var out [256]byte
	n := base64.RawURLEncoding.EncodedLen(len(b))
	if n > len(out) {
		return base64.RawURLEncoding.EncodeToString(b)
	}
	base64.RawURLEncoding.Encode(out[:n], b)
	return string(out[:n])
}

// Decode reads a cursor l made and returns its key and ID; "" gives zero values (the first page). It returns a
// KindInvalid error for op naming "cursor" when s is not a cursor of l's list, or is one of another order.
func (l List) Decode(op, s string) (key string, id ID, err error) {
	if s == "" {
		return "", ID{}, nil
	}
	order, key, id, err := l.DecodeAnyOrder(op, s)
	if err != nil {
		return "", ID{}, err
	}
	if order != l.Order {
		return "", ID{}, Invalid(op, FieldError{Field: "cursor", Message: "belongs to another sort order"})
	}
	return key, id, nil
}

// DecodeAnyOrder reads a cursor of l's list in any order and returns the order with the key and ID (for a list
// whose cursors carry a part of the position in the order's place: the catalog's products, the kind). It returns a
// KindInvalid error for op naming "cursor" when s is not a cursor of l's list ("" included).
func (l List) DecodeAnyOrder(op, s string) (order, key string, id ID, err error) {
	bad := Invalid(op, FieldError{Field: "cursor", Message: "is not a cursor of this list"})
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", "", ID{}, bad
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil || len(parts) != 4 || parts[0] != l.Name {
		return "", "", ID{}, bad
	}
	if id, err = ParseID("cursor", parts[3]); err != nil {
		return "", "", ID{}, bad
	}
	return parts[1], parts[2], id, nil
}

// TimeCursor returns the cursor of the page that follows the item at (at, id) in a list ordered by a time, then
// the ID (in either direction): Cursor with the time's Unix nanoseconds as the key.
func (l List) TimeCursor(at time.Time, id ID) string {
	var buf [20]byte
	return l.Cursor(string(strconv.AppendInt(buf[:0], at.UnixNano(), 10)), id)
}

// DecodeTime reads a cursor TimeCursor made for l; "" gives zero values (the first page). It returns a KindInvalid
// error for op naming "cursor" otherwise.
func (l List) DecodeTime(op, s string) (time.Time, ID, error) {
	if s == "" {
		return time.Time{}, ID{}, nil
	}
	key, id, err := l.Decode(op, s)
	if err != nil {
		return time.Time{}, ID{}, err
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != key {
		return time.Time{}, ID{}, Invalid(op, FieldError{Field: "cursor", Message: "is not a cursor of this list"})
	}
	return time.Unix(0, n).UTC(), id, nil
}

// IDCursor returns the cursor of the page that follows the item with ID id in a list ordered by ID alone: Cursor
// with an empty key.
func (l List) IDCursor(id ID) string { return l.Cursor("", id) }

// DecodeID reads a cursor IDCursor made for l; "" gives the zero ID (the first page). It returns a KindInvalid
// error for op naming "cursor" otherwise.
func (l List) DecodeID(op, s string) (ID, error) {
	key, id, err := l.Decode(op, s)
	if err != nil {
		return ID{}, err
	}
	if key != "" {
		return ID{}, Invalid(op, FieldError{Field: "cursor", Message: "is not a cursor of this list"})
	}
	return id, nil
}

// appendIDText appends id's text as uuid.UUID.String writes it.
func appendIDText(b []byte, id ID) []byte {
	const hex = "0123456789abcdef"
	for i, x := range id {
		switch i {
		case 4, 6, 8, 10:
			b = append(b, '-')
		}
		b = append(b, hex[x>>4], hex[x&0xF])
	}
	return b
}

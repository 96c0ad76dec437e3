package catalog

import (
	"encoding/base64"
	"encoding/json"

	"github.com/dealercrm/dealercrm/crm"
)

// A cursor is opaque to callers: base64url of a JSON array [list, order, key, id] naming the list and order it
// belongs to and the sort key and ID of the last item of the previous page. Adapters make and read cursors only
// through the query types, so that every adapter's cursors are alike.

// encodeCursor returns the cursor: the bytes json.Marshal writes for [4]string{list, order, key, id.String()},
// written without reflection (crm.AppendJSONString) into a buffer on the stack, in base64url.
func encodeCursor(list, order, key string, id crm.ID) string {
	var buf [192]byte
	b := append(buf[:0], '[')
	b = crm.AppendJSONString(b, list)
	b = append(b, ',')
	b = crm.AppendJSONString(b, order)
	b = append(b, ',')
	b = crm.AppendJSONString(b, key)
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

// appendIDText appends id's text as uuid.UUID.String writes it.
func appendIDText(b []byte, id crm.ID) []byte {
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

// decodeCursor reads a cursor of list in order; it returns a crm.KindInvalid error naming "cursor" when s is not
// one (or belongs to another list or order).
func decodeCursor(op, s, list, order string) (key string, id crm.ID, err error) {
	got, key, id, err := decodeListCursor(op, s, list)
	if err != nil {
		return "", crm.ID{}, err
	}
	if got != order {
		return "", crm.ID{}, crm.Invalid(op, crm.FieldError{Field: "cursor", Message: "belongs to another sort order"})
	}
	return key, id, nil
}

// decodeListCursor reads a cursor of list in any order and returns the order with the key and ID.
func decodeListCursor(op, s, list string) (order, key string, id crm.ID, err error) {
	bad := crm.Invalid(op, crm.FieldError{Field: "cursor", Message: "is not a cursor of this list"})
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", "", crm.ID{}, bad
	}
	var parts [4]string
	if err := json.Unmarshal(b, &parts); err != nil || parts[0] != list {
		return "", "", crm.ID{}, bad
	}
	if id, err = crm.ParseID("cursor", parts[3]); err != nil {
		return "", "", crm.ID{}, bad
	}
	return parts[1], parts[2], id, nil
}

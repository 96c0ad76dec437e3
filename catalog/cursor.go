package catalog

import (
	"encoding/base64"
	"encoding/json"

	"github.com/dealercrm/dealercrm/crm"
)

// A cursor is opaque to callers: base64url of a JSON array [list, order, key, id] naming the list and order it
// belongs to and the sort key and ID of the last item of the previous page. Adapters make and read cursors only
// through the query types, so that every adapter's cursors are alike.

func encodeCursor(list, order, key string, id crm.ID) string {
	b, _ := json.Marshal([4]string{list, order, key, id.String()})
	return base64.RawURLEncoding.EncodeToString(b)
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

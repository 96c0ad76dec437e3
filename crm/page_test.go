package crm_test

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeCursorRoundTrip(t *testing.T) {
	drives := crm.List{Name: "test-drives", Order: "start asc"}
	at, id := time.Date(2026, 11, 27, 9, 30, 0, 123456000, time.UTC), crm.NewID()
	gotAt, gotID, err := drives.DecodeTime("op", drives.TimeCursor(at, id))
	require.NoError(t, err)
	assert.True(t, gotAt.Equal(at))
	assert.Equal(t, id, gotID)
	zeroAt, zeroID, err := drives.DecodeTime("op", "")
	require.NoError(t, err)
	assert.True(t, zeroAt.IsZero())
	assert.Equal(t, crm.ID{}, zeroID)
	appointments := crm.List{Name: "service-appointments", Order: "start asc"}
	leads := crm.List{Name: "leads", Order: "created_at desc"}
	otherOrder := crm.List{Name: "test-drives", Order: "start desc"}
	cursor := drives.TimeCursor(at, id)
	for name, bad := range map[string]string{
		"not base64": "%%%", "not JSON": "bm9wZQ", "cut": cursor[:10], "a byte changed": cursor[:20] + "A" + cursor[21:],
		"another list's":       appointments.TimeCursor(at, id),
		"another list's order": otherOrder.TimeCursor(at, id),
		"another kind of list": leads.TimeCursor(at, id),
		"a key not a time":     drives.Cursor("2026-11-27T09:30:00Z", id),
		"a key with a sign":    drives.Cursor("+1", id),
		"an ID not a UUID":     base64.RawURLEncoding.EncodeToString([]byte(`["test-drives","start asc","1","x"]`)),
		"five parts":           base64.RawURLEncoding.EncodeToString([]byte(`["test-drives","start asc","1","` + id.String() + `","x"]`)),
	} {
		_, _, err := drives.DecodeTime("op", bad)
		require.Error(t, err, name)
		assert.True(t, errors.Is(err, crm.ErrInvalid), name)
		assert.Equal(t, "cursor", crm.FieldsOf(err)[0].Field, name)
		_, err = crm.PageRequest{Cursor: bad}.Position("op", drives)
		assert.True(t, errors.Is(err, crm.ErrInvalid), name)
	}
}

// FuzzListDecode: a List never panics on a cursor; what it accepts is a cursor of its own list and order whose
// key and ID, made into a cursor again, read back the same; anything else is KindInvalid naming cursor. A time
// cursor it accepts is one TimeCursor makes for the time it reads.
func FuzzListDecode(f *testing.F) {
	l := crm.List{Name: "test-drives", Order: "start asc"}
	id := uuid.MustParse("7d0c3a4e-8a52-4a5e-9a0b-0c6f1f2a9b11")
	f.Add(l.TimeCursor(time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC), id))
	f.Add(l.Cursor("ключ \"кавычки\"", id))
	f.Add(crm.List{Name: "service-appointments", Order: "start asc"}.TimeCursor(time.Unix(0, 1), id))
	f.Add("")
	f.Add("%%%")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`["test-drives","start asc","-5","{` + id.String() + `}"]`)))
	f.Fuzz(func(t *testing.T, s string) {
		key, gotID, err := l.Decode("op", s)
		if err != nil {
			if !errors.Is(err, crm.ErrInvalid) || len(crm.FieldsOf(err)) != 1 || crm.FieldsOf(err)[0].Field != "cursor" {
				t.Fatalf("Decode(%q): %v, want KindInvalid naming cursor", s, err)
			}
		} else if s != "" {
			again, againID, err := l.Decode("op", l.Cursor(key, gotID))
			if err != nil || again != key || againID != gotID {
				t.Fatalf("Decode(%q) = %q, %s; its cursor reads %q, %s, %v", s, key, gotID, again, againID, err)
			}
			if _, _, err := (crm.List{Name: l.Name + "-other", Order: l.Order}).Decode("op", s); err == nil {
				t.Fatalf("another list accepted %q", s)
			}
		}
		at, atID, err := l.DecodeTime("op", s)
		if err != nil {
			if !errors.Is(err, crm.ErrInvalid) || crm.FieldsOf(err)[0].Field != "cursor" {
				t.Fatalf("DecodeTime(%q): %v, want KindInvalid naming cursor", s, err)
			}
			return
		}
		if s != "" {
			if _, _, err := l.Decode("op", l.TimeCursor(at, atID)); err != nil {
				t.Fatalf("DecodeTime(%q) = %s, %s, whose cursor does not read: %v", s, at, atID, err)
			}
			if back, backID, _ := l.DecodeTime("op", l.TimeCursor(at, atID)); !back.Equal(at) || backID != atID {
				t.Fatalf("DecodeTime(%q) = %s, %s; its cursor reads %s, %s", s, at, atID, back, backID)
			}
		}
	})
}

func TestPageLimit(t *testing.T) {
	assert.Equal(t, 50, crm.PageLimit(0))
	assert.Equal(t, 7, crm.PageLimit(7))
	assert.Equal(t, 500, crm.PageLimit(10_000))
}

func TestIDCursor(t *testing.T) {
	customers := crm.List{Name: "customers", Order: "id asc"}
	id := crm.NewID()
	got, err := customers.DecodeID("op", customers.IDCursor(id))
	require.NoError(t, err)
	assert.Equal(t, id, got)
	for _, bad := range []string{customers.Cursor("x", id), crm.List{Name: "leads", Order: "id asc"}.IDCursor(id), "!!"} {
		_, err := customers.DecodeID("op", bad)
		assert.Equal(t, "cursor", crm.FieldsOf(err)[0].Field, bad)
	}
}

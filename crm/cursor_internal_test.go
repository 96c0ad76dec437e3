package crm

import (
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestCursorIsWhatJSONMarshalWrites: List.Cursor writes the bytes it wrote when it called json.Marshal, for plain
// keys and for keys with every character JSON or HTML escaping touches, Cyrillic and invalid UTF-8.
func TestCursorIsWhatJSONMarshalWrites(t *testing.T) {
	marshalled := func(list, order, key string, id ID) string {
		b, err := json.Marshal([4]string{list, order, key, id.String()})
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	alphabet := []string{"a", "Z", "0", " ", ".", ":", "-", "\"", "\\", "<", ">", "&", "\n", "\x00", "\x7f", "ж",
		"\u2028", "\xff", "€", "😀"}
	rnd := rand.New(rand.NewPCG(1, 2))
	keys := []string{"", "2026-11-30T21:44:00.123456Z", "1450000.00", "2026", "XTA-0001/b"}
	for range 3000 {
		var k string
		for range rnd.IntN(40) {
			k += alphabet[rnd.IntN(len(alphabet))]
		}
		keys = append(keys, k)
	}
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'a' + byte(i%26)
	}
	keys = append(keys, string(long))
	for _, k := range keys {
		id := NewID()
		for _, c := range [][2]string{{"vehicles", "created_at asc"}, {"parts", "number asc"}, {"products", k}} {
			if got, want := (List{Name: c[0], Order: c[1]}).Cursor(k, id), marshalled(c[0], c[1], k, id); got != want {
				t.Fatalf("List{%q, %q}.Cursor(%q): %s, json.Marshal: %s", c[0], c[1], k, got, want)
			}
		}
	}
}

package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestEncodeStringEveryTwoBytes holds appendJSONString to encoding/json for every pair of bytes that starts past
// ASCII, between ASCII and at the end of a string: valid two-byte sequences, which it copies without decoding,
// and every invalid or truncated one beside them.
func TestEncodeStringEveryTwoBytes(t *testing.T) {
	for c1 := 0x80; c1 <= 0xFF; c1++ {
		for c2 := 0; c2 <= 0xFF; c2++ {
			for _, s := range []string{"a" + string([]byte{byte(c1), byte(c2)}) + "b", string([]byte{byte(c1), byte(c2)}),
				string([]byte{byte(c2), byte(c1)})} {
				want, err := json.Marshal(s)
				if err != nil {
					t.Fatal(err)
				}
				if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
					t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
				}
			}
		}
	}
}

package crm

import (
	"fmt"
	"testing"
)

// TestKeysRevokedSince: the record hands each revocation after the count seen, once, and asks the caller to
// forget everything when it fell more than keptRevocations behind.
func TestKeysRevokedSince(t *testing.T) {
	seen := KeyRevocations()
	NoteKeyRevoked("a")
	NoteKeyRevoked("b")
	var got []string
	n, all := KeysRevokedSince(seen, func(h string) { got = append(got, h) })
	if all || n != seen+2 || fmt.Sprint(got) != "[a b]" {
		t.Fatalf("got %v, all %v, n %d (seen %d)", got, all, n, seen)
	}
	if n2, all := KeysRevokedSince(n, func(h string) { t.Errorf("forgot %s again", h) }); all || n2 != n {
		t.Fatalf("nothing new: n %d, all %v", n2, all)
	}
	for i := 0; i <= keptRevocations; i++ {
		NoteKeyRevoked(fmt.Sprint(i))
	}
	if _, all := KeysRevokedSince(n, func(h string) { t.Errorf("forgot %s one by one", h) }); !all {
		t.Fatal("more than the record keeps: all must be forgotten")
	}
}

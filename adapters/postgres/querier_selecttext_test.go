package postgres

import (
	"fmt"
	"testing"
)

// TestSelectText: only a plain SELECT without a locking clause is a read that may go without a transaction; the
// answers are kept, at most maxSelectTexts of them, and stay right once the cache has made room; a text's number
// is the same at every call, kept or not, and two texts' differ.
func TestSelectText(t *testing.T) {
	isSelect := func(q string) bool { is, _ := selectText(q); return is }
	for q, want := range map[string]bool{
		"SELECT id FROM vehicles WHERE dealer_id = $1":                   true,
		"  select id from vehicles":                                      true,
		"SELECT id FROM vehicles WHERE id = $1 FOR UPDATE":               false,
		"select id from vehicles where id = $1 for share":                false,
		"WITH used AS (UPDATE api_keys SET x = 1 RETURNING *) SELECT 1":  false,
		"UPDATE vehicles SET status = $1":                                false,
		"SELECT":                                                         false,
		"SELECT id FROM vehicles WHERE note = 'before' ORDER BY id DESC": true,
	} {
		for range 2 { // computed, then kept
			if got := isSelect(q); got != want {
				t.Errorf("isSelect(%q) = %v", q, got)
			}
		}
	}
	for i := range maxSelectTexts + 10 {
		isSelect(fmt.Sprint("SELECT ", i))
		if n := selectTexts.Len(); n > maxSelectTexts {
			t.Fatalf("%d texts kept", n)
		}
	}
	if !isSelect("SELECT 1") || isSelect("SELECT 1 FOR UPDATE") {
		t.Fatal("answers after the cache made room")
	}
	_, a := selectText("SELECT 0")
	for i := range maxSelectTexts + 10 { // SELECT 0 is made room for, then computed again
		selectText(fmt.Sprint("SELECT x", i))
	}
	_, again := selectText("SELECT 0")
	_, b := selectText("SELECT 1")
	if a != again || a == b {
		t.Fatalf("numbers of the texts: %d, %d again, %d for another", a, again, b)
	}
}

package files

import (
	"io/fs"
	"strings"
	"unicode"

	"github.com/dealercrm/dealercrm/crm"
)

// MaxKeyLength is the longest key, in bytes, a store accepts.
const MaxKeyLength = 1024

// ValidKey checks a file key: slash-separated names such as "dealers/<id>/sales/<id>/contract-42.pdf". It
// returns a crm.KindInvalid error for an empty key, an absolute path ("/x"), an empty, "." or ".." element,
// a trailing slash, a backslash, a colon, a control character, invalid UTF-8, or more than MaxKeyLength
// bytes. Letters of any script are allowed.
func ValidKey(key string) error {
	bad := func(msg string) error {
		return crm.Invalid("files.ValidKey", crm.FieldError{Field: "key", Message: msg})
	}
	switch {
	case key == "":
		return bad("is required")
	case len(key) > MaxKeyLength:
		return bad("is too long")
	case strings.HasPrefix(key, "/"):
		return bad("must be relative, not start with /")
	case strings.ContainsAny(key, `\:`):
		return bad(`must not contain \ or :`)
	case strings.IndexFunc(key, unicode.IsControl) >= 0:
		return bad("must not contain control characters")
	case !fs.ValidPath(key) || key == ".":
		return bad("must be slash-separated names without empty, . or .. elements")
	}
	return nil
}

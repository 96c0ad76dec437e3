package httpapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/crm"
)

// scanText walks a JSON body token by token and records in p what encoding/json would silently let through:
// a member given twice in one object (the decoder keeps the last), and strings holding invalid UTF-8 or an
// unpaired UTF-16 surrogate escape (the decoder replaces both with U+FFFD) or a NUL character. Each is named by
// its JSON path. It records nothing for malformed JSON, which the decoder answers.
func scanText(p *crm.Problems, body []byte) {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object bool
		keys   map[string]bool
		key    string // the member whose value comes next (objects)
		hasKey bool   // key is read and its value not yet
		index  int    // the next item's index (arrays)
		path   string
	}
	var stack []*frame
	valuePath := func() string {
		if len(stack) == 0 {
			return ""
		}
		f := stack[len(stack)-1]
		if f.object {
			return joinPath(f.path, f.key)
		}
		return f.path + "[" + strconv.Itoa(f.index) + "]"
	}
	advance := func() { // a value ended: the enclosing object waits for a key, the array for its next item
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.object {
			f.hasKey = false
		} else {
			f.index++
		}
	}
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, &frame{object: t == '{', keys: map[string]bool{}, path: valuePath()})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			isKey := top != nil && top.object && !top.hasKey
			path := valuePath()
			if isKey {
				path = joinPath(top.path, t)
			}
			checkText(p, path, t, body[before:dec.InputOffset()])
			if isKey {
				if top.keys[t] {
					p.Add(path, "is given more than once")
				}
				top.keys[t], top.key, top.hasKey = true, t, true
				continue
			}
			advance()
		default:
			advance()
		}
	}
}

// checkText records a problem at path when the string s, read from the raw JSON literal raw, held invalid
// UTF-8, an unpaired surrogate escape or a NUL character.
func checkText(p *crm.Problems, path, s string, raw []byte) {
	switch {
	case !utf8.Valid(raw):
		p.Add(path, "is not valid UTF-8 text")
	case strings.ContainsRune(s, utf8.RuneError) && !bytes.ContainsRune(raw, utf8.RuneError) &&
		!bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`)):
		p.Add(path, "holds an unpaired UTF-16 surrogate")
	case strings.IndexByte(s, 0) >= 0:
		p.Add(path, "must not contain NUL characters")
	}
}

package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"unsafe"

	"github.com/dealercrm/dealercrm/crm"
)

// setETag sets the strong entity tag of a record: its version in quotes.
func setETag(w http.ResponseWriter, version int64) {
	if sw, ok := w.(*statusWriter); ok { // the header's value slice and its text are the writer's own (no allocation)
		if sw.etag[0] == "" {
			b := strconv.AppendInt(append(sw.etagText[:0], '"'), version, 10) // at most 20 characters
			b = append(b, '"')
			sw.etag[0] = unsafe.String(&sw.etagText[0], len(b))
		} else {
			sw.etag[0] = `"` + strconv.FormatInt(version, 10) + `"`
		}
		w.Header()["Etag"] = sw.etag[:] // Header.Set's canonical key
		return
	}
	w.Header().Set("ETag", `"`+strconv.FormatInt(version, 10)+`"`)
}

// ifMatch is the one reader of If-Match. It returns the version the header names, for the services'
// expectedVersion arguments (checked there, inside the unit of work that writes): 0 (crm.Unconditional) when the
// header is absent or "*" (the write applies to the current version; this is documented), the version of a tag such as
// "3" or W/"3" otherwise. A tag that is not a version can never match: it is a stale-version error (412). More
// than one tag, or a header that is not an entity tag, is a 400.
func ifMatch(r *http.Request) (int64, error) {
	vals := r.Header.Values("If-Match")
	if len(vals) == 0 {
		return 0, nil
	}
	tag := strings.TrimSpace(strings.Join(vals, ","))
	if tag == "*" {
		return 0, nil
	}
	tag = strings.TrimPrefix(tag, "W/")
	if len(tag) < 2 || tag[0] != '"' || tag[len(tag)-1] != '"' || strings.Contains(tag[1:len(tag)-1], `"`) {
		return 0, &httpError{status: http.StatusBadRequest, code: codeMalformedRequest, title: "Malformed request",
			detail: `If-Match must be one entity tag such as "3", or *`,
			fields: []crm.FieldError{{Field: "If-Match", Message: "is not one entity tag"}}}
	}
	n, err := strconv.ParseInt(tag[1:len(tag)-1], 10, 64)
	if err != nil || n < 1 {
		return 0, crm.Stale("httpapi", "If-Match %s names no version of this record", tag)
	}
	return n, nil
}

// retryStale is the one retry idiom of the HTTP layer, for the handlers that build what they write from a read
// made before the write's unit of work (a JSON merge patch applied to the current record). attempt loads the
// record and writes against want, or against the version it loaded when want is 0 (orVersion), so that a
// concurrent change is never overwritten with a body built from an older read. Without If-Match (want == 0) a
// write that lost a race is tried again from a fresh read, up to three times in all; with one, the first stale
// answer stands (412). Every other write hands the If-Match version straight to the service.
func retryStale(want int64, attempt func() error) error {
	for i := 0; ; i++ {
		err := attempt()
		if err == nil || want != 0 || i == 2 || crm.KindOf(err) != crm.KindStaleVersion {
			return err
		}
	}
}

// orVersion returns want, or loaded when want is 0.
func orVersion(want, loaded int64) int64 {
	if want != 0 {
		return want
	}
	return loaded
}

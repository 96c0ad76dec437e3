package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// setETag sets the strong entity tag of a record: its version in quotes.
func setETag(w http.ResponseWriter, version int64) {
	w.Header().Set("ETag", `"`+strconv.FormatInt(version, 10)+`"`)
}

// ifMatch returns the version an If-Match header names, for the services' "version" arguments: 0 when the header
// is absent or "*" (the write applies to the current version; this is documented), the version of a tag such as
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

// checkVersion refuses a write whose If-Match (want, 0: none) is not the record's current version; for services
// that take no version argument.
func checkVersion(want, current int64) error {
	if want != 0 && want != current {
		return crm.Stale("httpapi", "the record is at version %d, not %d", current, want)
	}
	return nil
}

// retryStale runs a read-modify-write (attempt loads the record and writes it against want, or against the
// version it loaded when want is 0). Without If-Match (want == 0) a write that lost a race with another is tried
// again, up to three times in all; with one, the first stale answer stands (412).
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

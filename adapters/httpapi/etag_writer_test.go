package httpapi

import (
	"math"
	"net/http/httptest"
	"strconv"
	"testing"
)

// TestSetETagOnTheRequestsWriter: the ETag setETag writes through the request's statusWriter, whose text it keeps
// in the writer's own bytes, is the version in quotes for any version, and a second tag of the same request
// (a retried read) replaces it without changing the first tag's text.
func TestSetETagOnTheRequestsWriter(t *testing.T) {
	for _, v := range []int64{1, 9, 10, 12345, math.MaxInt64, math.MinInt64} {
		st := &requestState{}
		rec := httptest.NewRecorder()
		st.sw.ResponseWriter = rec
		setETag(&st.sw, v)
		first := rec.Header().Get("ETag")
		if want := `"` + strconv.FormatInt(v, 10) + `"`; first != want {
			t.Fatalf("version %d: ETag %s, want %s", v, first, want)
		}
		setETag(&st.sw, v+1)
		if got, want := rec.Header().Get("ETag"), `"`+strconv.FormatInt(v+1, 10)+`"`; got != want {
			t.Fatalf("second tag after %d: ETag %s, want %s", v, got, want)
		}
		if want := `"` + strconv.FormatInt(v, 10) + `"`; first != want {
			t.Fatalf("the first tag changed to %s, was %s", first, want)
		}
	}
	rec := httptest.NewRecorder() // any other writer
	setETag(rec, 7)
	if got := rec.Header().Get("ETag"); got != `"7"` {
		t.Fatalf("ETag %s on a plain writer", got)
	}
}

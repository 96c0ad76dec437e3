package httpapi

import (
	"encoding/json"
	"time"
)

// stampLayout is how every instant in a response is written: RFC 3339 in UTC with exactly six fraction digits
// (microseconds, what every storage adapter keeps), so that clients can compare and sort them as text.
const stampLayout = "2006-01-02T15:04:05.000000Z07:00"

// stamp is an instant in a response body, written in stampLayout. encoding/json writes a time.Time with as many
// fraction digits as it happens to have (none, 3, 6 or 9), which a client cannot rely on.
type stamp time.Time

// stampOf converts t.
func stampOf(t time.Time) stamp { return stamp(t) }

// stampPtr converts an optional time; nil stays nil.
func stampPtr(t *time.Time) *stamp {
	if t == nil {
		return nil
	}
	s := stamp(*t)
	return &s
}

// MarshalJSON writes s in stampLayout.
func (s stamp) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, len(stampLayout)+8), '"')
	b = time.Time(s).UTC().AppendFormat(b, stampLayout)
	return append(b, '"'), nil
}

// UnmarshalJSON reads any RFC 3339 instant.
func (s *stamp) UnmarshalJSON(b []byte) error {
	var t time.Time
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	*s = stamp(t)
	return nil
}

// String is s in stampLayout.
func (s stamp) String() string { return time.Time(s).UTC().Format(stampLayout) }

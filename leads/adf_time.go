package leads

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// adfTime matches ISO-8601-like dates as senders write them, loosely: one- or two-digit fields, an optional time,
// an optional offset that may be short ("-08:0", "+3", "+0300").
var adfTime = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{1,2})(?::?(\d{1,2}))?)?$`)

var adfLayouts = []string{"01/02/2006 15:04:05", "01/02/2006 15:04", "01/02/2006", time.RFC1123Z, time.RFC1123, time.RFC850}

// ParseADFTime parses a date or date-time as ADF senders write it, leniently: "2026-11-26T10:15:00+03:00",
// "2000-03-30T15:30:20-08:0" (a short offset), "2008-06-25T8:47:50" (a one-digit hour; no offset means UTC),
// "2026-11-28" (a date), and a few US and RFC 1123 forms. It reports false when s is none of them or names an
// impossible date; the caller keeps the raw text.
func ParseADFTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	if m := adfTime.FindStringSubmatch(s); m != nil {
		num := func(i int) int {
			n, _ := strconv.Atoi(m[i])
			return n
		}
		year, month, day := num(1), num(2), num(3)
		hour, minute, sec := num(4), num(5), num(6)
		nsec := 0
		if m[7] != "" {
			frac := (m[7] + "000000000")[:9]
			nsec, _ = strconv.Atoi(frac)
		}
		loc := time.UTC
		if m[9] != "" {
			oh, om := num(10), num(11)
			if oh > 14 || om > 59 {
				return time.Time{}, false
			}
			off := oh*3600 + om*60
			if m[9] == "-" {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
		if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 60 {
			return time.Time{}, false
		}
		if sec == 60 {
			sec = 59 // a leap second
		}
		t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
		if t.Day() != day {
			return time.Time{}, false // 31 February and the like
		}
		return t.UTC(), true
	}
	for _, layout := range adfLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

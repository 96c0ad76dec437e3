package httpapi

import (
	"bytes"
	"encoding/csv"
	"mime"
	"net/http"
	"strings"
)

// csvType is the media type of a report's CSV form (routes with CSV set).
const csvType = "text/csv"

// reportTable is a report as rows of text: a header row and the data rows, for the CSV form of a report.
type reportTable struct {
	Header []string
	Rows   [][]string
}

// wantsCSV reports whether the request's Accept header asks for text/csv (any parameters, any q above 0) rather
// than JSON.
func wantsCSV(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || mt != csvType {
			continue
		}
		if q, ok := params["q"]; ok && strings.Trim(q, "0.") == "" {
			continue
		}
		return true
	}
	return false
}

// writeReport writes a report: as CSV (UTF-8, a header row, RFC 4180 quoting by encoding/csv, CRLF line ends)
// when the request accepts text/csv, else v as JSON. Both forms say Vary: Accept.
func writeReport(w http.ResponseWriter, r *http.Request, v any, t func() reportTable) error {
	w.Header().Add("Vary", "Accept")
	if !wantsCSV(r) {
		return writeJSON(w, http.StatusOK, v)
	}
	tab := t()
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	if err := cw.Write(tab.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(tab.Rows); err != nil {
		return err
	}
	w.Header().Set("Content-Type", csvType+"; charset=utf-8; header=present")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}

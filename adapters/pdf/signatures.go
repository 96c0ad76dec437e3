package pdf

import (
	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
)

// signatures draws the parties side by side and keeps the block on one page when it fits one.
func signatures(w *writer, s layout.Signatures) {
	if len(s.Parties) == 0 {
		return
	}
	t := signatureTable(w, s)
	w.ensure(tableHeight(w, t))
	table(w, t)
}

// signatureTable lays the parties out as a borderless table: one column per party with a gap between, a
// first row of titles and requisites and a second of positions, signature lines and seal marks, so that the
// signature lines stay level however long each party's requisites are.
func signatureTable(w *writer, s layout.Signatures) layout.Table {
	n := float64(len(s.Parties))
	t := layout.Table{}
	var requisites, signs layout.Row
	for i, p := range s.Parties {
		if i > 0 {
			t.Widths = append(t.Widths, columnGap)
			requisites.Cells = append(requisites.Cells, layout.Cell{Span: 1})
			signs.Cells = append(signs.Cells, layout.Cell{Span: 1})
		}
		t.Widths = append(t.Widths, (w.contentWidth()-columnGap*(n-1))/n)
		requisites.Cells = append(requisites.Cells, layout.Cell{Runs: requisiteRuns(p), Span: 1})
		signs.Cells = append(signs.Cells, layout.Cell{Runs: signatureRuns(p), Span: 1})
	}
	t.Rows = []layout.Row{requisites, signs}
	return t
}

// requisiteRuns is the title and requisites of a party, one per line.
func requisiteRuns(p layout.Party) []layout.Run {
	br := layout.Run{Break: true}
	runs := []layout.Run{{Text: p.Title, Bold: true}, br}
	for _, l := range p.Lines {
		runs = append(runs, l...)
		runs = append(runs, br)
	}
	return runs
}

// signatureRuns is the position, the signature line "__________ / Signer /" and the seal mark of a party.
// The position line is always there (blank when unknown) so that the signature lines of all parties align.
func signatureRuns(p layout.Party) []layout.Run {
	br := layout.Run{Break: true}
	position := p.Position
	if position == "" {
		position = "\u00a0"
	}
	signer := p.Signer
	if signer == "" {
		signer = "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"
	}
	runs := []layout.Run{{Text: position}, br, br, {Text: "____________________ / " + signer + " /"}, br}
	if p.Stamp {
		runs = append(runs, layout.Run{Text: "М.П."}, br)
	}
	return runs
}

// tableHeight is the height t takes when drawn whole.
func tableHeight(w *writer, t layout.Table) float64 {
	cols := columns(w, t)
	h := 0.0
	for _, r := range placeRows(w, append(append([]layout.Row(nil), t.Header...), t.Rows...), cols, false, t.Border) {
		h += rowHeight(r.depth)
	}
	return h
}

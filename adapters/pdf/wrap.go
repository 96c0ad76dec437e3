package pdf

import (
	"strings"

	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
)

// piece is a stretch of text in one face, measured.
type piece struct {
	text  string
	bold  bool
	width float64
}

// word is what wrapping never splits (unless it is wider than a line): pieces with no space between them.
type word struct {
	pieces []piece
	width  float64
}

// line is one wrapped line: its words and their natural width with single spaces. last marks the end of a
// paragraph or a forced break, where justified text is not stretched.
type line struct {
	words []word
	width float64
	last  bool
}

// wrapRuns breaks runs into lines no wider than width at type size; bold forces the bold face. A <br/> ends a
// line; a word wider than a line is cut between characters. Empty text gives no lines; a
// <br/> after another gives an empty line.
func wrapRuns(w *writer, runs []layout.Run, width, size float64, bold bool) []line {
	space := w.measure(" ", false, size)
	var lines []line
	var cur line
	var open *word // the word being built, not yet placed
	startNew := false
	flushWord := func() {
		if open == nil {
			return
		}
		wd := *open
		open = nil
		for _, part := range splitWide(w, wd, width, size) {
			gap := 0.0
			if len(cur.words) > 0 {
				gap = space
			}
			if len(cur.words) > 0 && cur.width+gap+part.width > width {
				lines = append(lines, cur)
				cur, gap = line{}, 0
			}
			cur.words = append(cur.words, part)
			cur.width += gap + part.width
		}
	}
	for _, r := range runs {
		if r.Break {
			flushWord()
			cur.last = true
			lines = append(lines, cur)
			cur = line{}
			startNew = false
			continue
		}
		b := bold || r.Bold
		for i, chunk := range strings.Split(r.Text, " ") {
			if i > 0 || startNew {
				flushWord()
				startNew = false
			}
			if chunk == "" {
				continue
			}
			if open == nil {
				open = &word{}
			}
			pw := w.measure(chunk, b, size)
			open.pieces = append(open.pieces, piece{text: chunk, bold: b, width: pw})
			open.width += pw
		}
		startNew = strings.HasSuffix(r.Text, " ")
	}
	flushWord()
	if len(cur.words) > 0 {
		cur.last = true
		lines = append(lines, cur)
	}
	return lines
}

// splitWide returns wd, or wd cut between characters into parts no wider than width when it is wider.
func splitWide(w *writer, wd word, width, size float64) []word {
	if wd.width <= width {
		return []word{wd}
	}
	var parts []word
	cur := word{}
	add := func(run []rune, bold bool) {
		if len(run) == 0 {
			return
		}
		t := string(run)
		pw := w.measure(t, bold, size)
		cur.pieces = append(cur.pieces, piece{text: t, bold: bold, width: pw})
		cur.width += pw
	}
	for _, p := range wd.pieces {
		var run []rune
		for _, r := range p.text {
			if (len(run) > 0 || len(cur.pieces) > 0) && cur.width+w.measure(string(run)+string(r), p.bold, size) > width {
				add(run, p.bold)
				parts = append(parts, cur)
				cur, run = word{}, nil
			}
			run = append(run, r)
		}
		add(run, p.bold)
	}
	if len(cur.pieces) > 0 {
		parts = append(parts, cur)
	}
	return parts
}

// drawLine draws ln with its top at top, within [x, x+width], aligned as asked.
func drawLine(w *writer, ln line, x, top, width, size float64, align layout.Align) {
	baseline := top + size*ascent
	gap := w.measure(" ", false, size)
	switch align {
	case layout.AlignRight:
		x += width - ln.width
	case layout.AlignCenter:
		x += (width - ln.width) / 2
	case layout.AlignJustify:
		if !ln.last && len(ln.words) > 1 {
			gap += (width - ln.width) / float64(len(ln.words)-1)
		}
	}
	for i, wd := range ln.words {
		if i > 0 {
			x += gap
		}
		px := x
		for _, p := range wd.pieces {
			w.text(px, baseline, p.text, p.bold, size)
			px += p.width
		}
		x += wd.width
	}
}

// lineHeight is the distance between the tops of two lines at size.
func lineHeight(size float64) float64 { return size * lineSpacing }

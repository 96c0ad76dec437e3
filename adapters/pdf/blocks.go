package pdf

import (
	"fmt"

	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
)

// layOut draws every block of doc, page after page.
func layOut(w *writer, doc layout.Document) {
	blocks := doc.Blocks
	for i, b := range blocks {
		if w.err != nil {
			return
		}
		switch b := b.(type) {
		case layout.Heading:
			var next layout.Block
			if i+1 < len(blocks) {
				next = blocks[i+1]
			}
			heading(w, b, next)
		case layout.Paragraph:
			paragraph(w, b.Runs, b.Align, sizeBody, false)
			w.y += paraGap
		case layout.Table:
			table(w, b)
		case layout.Signatures:
			signatures(w, b)
		case layout.Space:
			h := b.Height
			if h == 0 {
				h = defaultSpace
			}
			if !w.atTop() {
				w.y += min(h, w.room())
			}
		case layout.PageBreak:
			if !w.atTop() {
				w.newPage()
			}
		default:
			w.err = fmt.Errorf("pdf: unknown layout block %T", b)
		}
	}
}

// heading draws a title (level 1) or a section heading. A section heading starts a new page rather than sit at
// the foot of one without the first lines of what follows it.
func heading(w *writer, h layout.Heading, next layout.Block) {
	runs := []layout.Run{{Text: h.Text, Bold: true}}
	if h.Level <= 1 {
		paragraph(w, runs, layout.AlignCenter, sizeTitle, true)
		w.y += paraGap
		return
	}
	if !w.atTop() {
		w.y += sectionGap
	}
	lines := wrapRuns(w, runs, w.contentWidth(), sizeSection, true)
	keep := float64(len(lines))*lineHeight(sizeSection) + followingHeight(w, next)
	w.ensure(keep)
	drawLines(w, lines, layout.AlignLeft, sizeSection)
	w.y += paraGap / 2
}

// followingHeight is how much of the block after a heading must share its page: two lines of a paragraph,
// a table's header and first row, or a whole signature block.
func followingHeight(w *writer, next layout.Block) float64 {
	switch n := next.(type) {
	case layout.Table:
		n.Rows = n.Rows[:min(len(n.Rows), 1)]
		return tableHeight(w, n)
	case layout.Signatures:
		if len(n.Parties) == 0 {
			return 0
		}
		return tableHeight(w, signatureTable(w, n))
	}
	return 2 * lineHeight(sizeBody)
}

// paragraph wraps runs to the text width and draws them, breaking pages between lines.
func paragraph(w *writer, runs []layout.Run, align layout.Align, size float64, bold bool) {
	drawLines(w, wrapRuns(w, runs, w.contentWidth(), size, bold), align, size)
}

func drawLines(w *writer, lines []line, align layout.Align, size float64) {
	lh := lineHeight(size)
	for _, ln := range lines {
		w.ensure(lh)
		drawLine(w, ln, marginLeft, w.y, w.contentWidth(), size, align)
		w.y += lh
	}
}

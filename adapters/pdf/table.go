package pdf

import (
	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
)

// cellBox is a cell placed in its columns, its text wrapped.
type cellBox struct {
	x, width float64
	lines    []line
	align    layout.Align
}

// rowBox is a row ready to draw; depth is the line count of its deepest cell.
type rowBox struct {
	cells  []cellBox
	depth  int
	header bool
	pad    float64 // horizontal padding of the cells: none without a grid, so text lines up with the margin
}

// height is the height of n lines of the row with the cell padding.
func rowHeight(n int) float64 { return float64(n)*lineHeight(sizeTable) + 2*cellPadding }

// table draws t across as many pages as it needs: a row moves to the next page whole when it fits there,
// a row taller than a page is split between lines, and the header rows are repeated on every new page.
func table(w *writer, t layout.Table) {
	cols := columns(w, t)
	header := placeRows(w, t.Header, cols, true, t.Border)
	rows := placeRows(w, t.Rows, cols, false, t.Border)
	headerHeight := 0.0
	for _, r := range header {
		headerHeight += rowHeight(r.depth)
	}
	drawHeader := func() {
		for _, r := range header {
			drawRow(w, r, 0, r.depth, t.Border)
		}
	}
	// Keep the header with the first row, or with its first lines when that row must be split anyway.
	first := headerHeight
	if len(rows) > 0 {
		depth := rows[0].depth
		if rowHeight(depth) > w.pageRoom()-headerHeight {
			depth = min(depth, 2)
		}
		first += rowHeight(depth)
	}
	w.ensure(first)
	drawHeader()
	for _, r := range rows {
		from := 0
		for w.err == nil {
			left := r.depth - from
			if from == 0 && rowHeight(left) <= w.room() {
				drawRow(w, r, 0, left, t.Border)
				break
			}
			fits := int((w.room() - 2*cellPadding) / lineHeight(sizeTable))
			wholeOnNext := from == 0 && rowHeight(left) <= w.pageRoom()-headerHeight
			if (fits < 1 || wholeOnNext) && !freshPage(w, headerHeight) {
				w.newPage()
				drawHeader()
				continue
			}
			n := min(max(fits, 1), left)
			drawRow(w, r, from, n, t.Border)
			from += n
			if from >= r.depth {
				break
			}
			w.newPage()
			drawHeader()
		}
	}
	w.y += paraGap
}

// freshPage reports whether the page holds nothing but the repeated table header: breaking it again would
// not give more room.
func freshPage(w *writer, headerHeight float64) bool {
	return w.y <= marginTop+headerHeight+0.01
}

// columns returns the left edge and width of every column: the relative widths of t scaled to the text
// width, or equal columns.
func columns(w *writer, t layout.Table) [][2]float64 {
	n := len(t.Widths)
	weights := t.Widths
	if n == 0 {
		for _, r := range append(append([]layout.Row(nil), t.Header...), t.Rows...) {
			c := 0
			for _, cell := range r.Cells {
				c += max(cell.Span, 1)
			}
			n = max(n, c)
		}
		weights = make([]float64, n)
		for i := range weights {
			weights[i] = 1
		}
	}
	sum := 0.0
	for _, v := range weights {
		sum += v
	}
	out := make([][2]float64, n)
	x := float64(marginLeft)
	for i, v := range weights {
		width := w.contentWidth() * v / sum
		out[i] = [2]float64{x, width}
		x += width
	}
	return out
}

// placeRows puts the cells of rows in their columns and wraps their text; border says whether the table
// has a grid (and so padded cells).
func placeRows(w *writer, rows []layout.Row, cols [][2]float64, header, border bool) []rowBox {
	pad := 0.0
	if border {
		pad = cellPadding
	}
	out := make([]rowBox, 0, len(rows))
	for _, r := range rows {
		box := rowBox{header: header, pad: pad}
		col := 0
		for _, c := range r.Cells {
			span := max(c.Span, 1)
			if col >= len(cols) {
				break
			}
			end := min(col+span, len(cols)) - 1
			x := cols[col][0]
			width := cols[end][0] + cols[end][1] - x
			lines := wrapRuns(w, c.Runs, width-2*pad, sizeTable, c.Bold)
			box.cells = append(box.cells, cellBox{x: x, width: width, lines: lines, align: c.Align})
			box.depth = max(box.depth, len(lines), 1)
			col = end + 1
		}
		out = append(out, box)
	}
	return out
}

// drawRow draws lines [from, from+n) of every cell of r at the current position, with the grid if border.
func drawRow(w *writer, r rowBox, from, n int, border bool) {
	h := rowHeight(n)
	lh := lineHeight(sizeTable)
	for _, c := range r.cells {
		if border {
			if r.header {
				w.pdf.SetFillColor(235, 235, 235)
				w.pdf.RectFromUpperLeftWithStyle(c.x, w.y, c.width, h, "FD")
				w.pdf.SetFillColor(0, 0, 0)
			} else {
				w.rect(c.x, w.y, c.width, h)
			}
		}
		for i := from; i < from+n && i < len(c.lines); i++ {
			top := w.y + cellPadding + float64(i-from)*lh
			drawLine(w, c.lines[i], c.x+r.pad, top, c.width-2*r.pad, sizeTable, c.align)
		}
	}
	w.y += h
}

package pdf

import (
	"fmt"

	"github.com/signintech/gopdf"
)

// writer lays blocks out on gopdf pages from top to bottom. y is where the next line's top goes. Drawing errors
// are sticky: the first is kept in err and later calls do nothing, so layout code reads straight through.
type writer struct {
	pdf  *gopdf.GoPdf
	y    float64
	err  error
	font string  // current font family, to avoid needless switches
	size float64 // current font size
}

func newWriter(fonts Fonts) (*writer, error) {
	w := &writer{pdf: &gopdf.GoPdf{}}
	w.pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := w.pdf.AddTTFFontData(fontRegular, fonts.Regular); err != nil {
		return nil, fmt.Errorf("pdf: regular font: %w", err)
	}
	if err := w.pdf.AddTTFFontData(fontBold, fonts.Bold); err != nil {
		return nil, fmt.Errorf("pdf: bold font: %w", err)
	}
	w.newPage()
	return w, nil
}

// contentWidth is the width between the margins.
func (w *writer) contentWidth() float64 { return pageWidth - marginLeft - marginRight }

// pageRoom is the height of the text area of a page.
func (w *writer) pageRoom() float64 { return pageHeight - marginBottom - marginTop }

// room is the height left on the current page.
func (w *writer) room() float64 { return pageHeight - marginBottom - w.y }

// atTop reports whether nothing has been drawn on the current page yet.
func (w *writer) atTop() bool { return w.y <= marginTop }

func (w *writer) newPage() {
	w.pdf.AddPage()
	w.pdf.SetLineWidth(borderWidth) // the first drawing call: it creates the page's content stream
	w.pdf.SetTextColor(0, 0, 0)
	w.pdf.SetStrokeColor(0, 0, 0)
	w.y = marginTop
	w.font = ""
}

// ensure starts a new page when less than h is left, unless the page is still empty (then h cannot fit on
// any page and is drawn anyway, to be split by the caller).
func (w *writer) ensure(h float64) {
	if h > w.room() && !w.atTop() {
		w.newPage()
	}
}

// setFont selects the regular or bold face at size.
func (w *writer) setFont(bold bool, size float64) {
	family := fontRegular
	if bold {
		family = fontBold
	}
	if w.err != nil || (family == w.font && size == w.size) {
		return
	}
	if err := w.pdf.SetFont(family, "", size); err != nil {
		w.err = err
		return
	}
	w.font, w.size = family, size
}

// measure returns the width of s in the given face and size.
func (w *writer) measure(s string, bold bool, size float64) float64 {
	w.setFont(bold, size)
	if w.err != nil {
		return 0
	}
	width, err := w.pdf.MeasureTextWidth(s)
	if err != nil {
		w.err = err
	}
	return width
}

// text draws s with its baseline at (x, baseline).
func (w *writer) text(x, baseline float64, s string, bold bool, size float64) {
	w.setFont(bold, size)
	if w.err != nil {
		return
	}
	w.pdf.SetXY(x, baseline)
	if err := w.pdf.Text(s); err != nil {
		w.err = err
	}
}

// rect strokes a rectangle given by its upper-left corner and size.
func (w *writer) rect(x, y, width, height float64) {
	w.pdf.RectFromUpperLeftWithStyle(x, y, width, height, "D")
}

// footers writes "title — Страница i из n" at the foot of every page; called once the content is laid out.
func (w *writer) footers(title string) {
	n := w.pdf.GetNumberOfPages()
	for i := 1; i <= n && w.err == nil; i++ {
		if err := w.pdf.SetPage(i); err != nil {
			w.err = err
			return
		}
		w.font = ""
		baseline := pageHeight - marginBottom/2
		w.pdf.SetTextColor(90, 90, 90)
		if title != "" {
			w.text(marginLeft, baseline, clipTo(w, title, w.contentWidth()*0.6, sizeFooter), false, sizeFooter)
		}
		label := fmt.Sprintf("Страница %d из %d", i, n)
		w.text(pageWidth-marginRight-w.measure(label, false, sizeFooter), baseline, label, false, sizeFooter)
	}
}

// clipTo shortens s with an ellipsis until it fits width.
func clipTo(w *writer, s string, width, size float64) string {
	if w.measure(s, false, size) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && w.measure(string(r)+"…", false, size) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

package layout

// Document is a laid-out-to-be document: a title and a sequence of blocks, top to bottom.
type Document struct {
	Title  string  // the document's title (PDF metadata, HTML <title>)
	Blocks []Block // Heading, Paragraph, Table, Signatures, Space or PageBreak values
}

// Block is one element of a Document: Heading, Paragraph, Table, Signatures, Space or PageBreak.
type Block interface{ block() }

// Align is how text lines up within its box.
type Align string

// Alignments. The zero Align is AlignLeft.
const (
	AlignLeft    Align = "left"
	AlignCenter  Align = "center"
	AlignRight   Align = "right"
	AlignJustify Align = "justify" // both edges; the last line of a paragraph is left-aligned
)

// Run is a piece of inline text in one style. A Run with Break set ends the line (<br/>) and has no text.
type Run struct {
	Text  string
	Bold  bool
	Break bool
}

// Heading is a title (Level 1: large, bold, centred) or a section heading (Level 2: bold, kept with the block
// that follows it).
type Heading struct {
	Level int
	Text  string
}

// Paragraph is wrapped inline text.
type Paragraph struct {
	Align Align
	Runs  []Run
}

// Table is a grid of cells. Widths are relative column widths (any unit; they are scaled to the text width).
// Header rows repeat on every page the table spans. Border draws the grid; without it the table only places
// text (a line with the city on the left and the date on the right, say).
type Table struct {
	Widths []float64
	Border bool
	Header []Row
	Rows   []Row
}

// Row is one row of a table.
type Row struct {
	Cells []Cell
}

// Cell is one cell of a row. Span is how many columns it covers (at least 1); Bold sets the whole cell in bold
// (header cells, totals).
type Cell struct {
	Runs  []Run
	Align Align
	Bold  bool
	Span  int
}

// Signatures are the parties' requisites and signature lines, side by side, kept on one page.
type Signatures struct {
	Parties []Party
}

// Party is one column of the signature block: a title ("Продавец"), lines of requisites, the position of the
// signatory, and the signature line "__________ / Signer /". Stamp adds the seal mark "М.П.".
type Party struct {
	Title    string
	Lines    [][]Run
	Position string
	Signer   string
	Stamp    bool
}

// Space is a vertical gap of Height points (a default gap when zero).
type Space struct {
	Height float64
}

// PageBreak starts a new page.
type PageBreak struct{}

func (Heading) block()    {}
func (Paragraph) block()  {}
func (Table) block()      {}
func (Signatures) block() {}
func (Space) block()      {}
func (PageBreak) block()  {}

// PlainText joins the text of runs, a Break becoming a newline.
func PlainText(runs []Run) string {
	n := 0
	for _, r := range runs {
		n += len(r.Text) + 1
	}
	b := make([]byte, 0, n)
	for _, r := range runs {
		if r.Break {
			b = append(b, '\n')
			continue
		}
		b = append(b, r.Text...)
	}
	return string(b)
}

package htmldoc

import (
	"bytes"
	"context"
	_ "embed" // the page template and its stylesheet
	"fmt"
	"html/template"
	"strconv"

	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
	"github.com/dealercrm/dealercrm/sales"
)

// ContentType is the MIME type of what a Renderer produces.
const ContentType = "text/html; charset=utf-8"

// DefaultStyle is the stylesheet inlined in every page unless Renderer.Style replaces it: A4 print margins,
// page numbers in the page footer where the browser supports CSS paged media, tables that repeat their header
// rows, and a signature block kept on one page.
//
//go:embed style.css
var DefaultStyle string

//go:embed page.tmpl
var pageText string

var page = template.Must(template.New("page").Parse(pageText))

// Renderer renders purchase contracts as printable HTML pages. It implements sales.ContractRenderer. The zero
// value prints the default Russian contract (layout.DefaultContract) with DefaultStyle; it is safe for
// concurrent use.
type Renderer struct {
	// Template turns the contract into the layout language; nil means layout.DefaultContract().
	Template *layout.Template
	// Style is the CSS inlined in the page; empty means DefaultStyle. It is trusted: it is not escaped.
	Style string
}

var _ sales.ContractRenderer = Renderer{}

// ContentType returns "text/html; charset=utf-8".
func (Renderer) ContentType() string { return ContentType }

// Render lays the contract out through the template and returns the HTML page. It fails when the template
// fails, writes malformed layout, or ctx is done.
func (r Renderer) Render(ctx context.Context, c sales.Contract) ([]byte, error) {
	doc, err := r.Template.Build(c) // a nil template builds the default contract
	if err != nil {
		return nil, fmt.Errorf("htmldoc: %w", err)
	}
	return r.RenderDocument(ctx, doc)
}

// RenderDocument writes any layout document as an HTML page: the hook for documents that are not built from
// a sales.Contract.
func (r Renderer) RenderDocument(ctx context.Context, doc layout.Document) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	style := r.Style
	if style == "" {
		style = DefaultStyle
	}
	v := view{Title: doc.Title, Style: template.CSS(style)} // #nosec G203 -- the stylesheet is the embedder's, not user data
	for _, b := range doc.Blocks {
		vb, err := viewBlock(b)
		if err != nil {
			return nil, err
		}
		v.Blocks = append(v.Blocks, vb)
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("htmldoc: %q: %w", doc.Title, err)
	}
	return buf.Bytes(), nil
}

// view is what the page template reads: the document flattened into blocks with a Kind each.
type view struct {
	Title  string
	Style  template.CSS
	Blocks []block
}

type block struct {
	Kind    string // h1, h2, p, table, signatures, space, pagebreak
	Text    string
	Align   layout.Align
	Runs    []layout.Run
	Table   *table
	Parties []layout.Party
	Height  float64
}

type table struct {
	Border bool
	Widths []string // percentages
	Header []layout.Row
	Rows   []layout.Row
}

func viewBlock(b layout.Block) (block, error) {
	switch b := b.(type) {
	case layout.Heading:
		if b.Level <= 1 {
			return block{Kind: "h1", Text: b.Text}, nil
		}
		return block{Kind: "h2", Text: b.Text}, nil
	case layout.Paragraph:
		return block{Kind: "p", Align: alignOrLeft(b.Align), Runs: b.Runs}, nil
	case layout.Table:
		return block{Kind: "table", Table: &table{Border: b.Border, Widths: percentages(b.Widths),
			Header: withAligns(b.Header), Rows: withAligns(b.Rows)}}, nil
	case layout.Signatures:
		return block{Kind: "signatures", Parties: b.Parties}, nil
	case layout.Space:
		h := b.Height
		if h == 0 {
			h = 8
		}
		return block{Kind: "space", Height: h}, nil
	case layout.PageBreak:
		return block{Kind: "pagebreak"}, nil
	}
	return block{}, fmt.Errorf("htmldoc: unknown layout block %T", b)
}

// percentages turns relative widths into CSS percentages.
func percentages(w []float64) []string {
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	out := make([]string, len(w))
	for i, v := range w {
		out[i] = strconv.FormatFloat(100*v/sum, 'f', 2, 64)
	}
	return out
}

// withAligns gives every cell an explicit alignment (used as its CSS class).
func withAligns(rows []layout.Row) []layout.Row {
	out := make([]layout.Row, len(rows))
	for i, r := range rows {
		cells := make([]layout.Cell, len(r.Cells))
		for j, c := range r.Cells {
			c.Align = alignOrLeft(c.Align)
			cells[j] = c
		}
		out[i] = layout.Row{Cells: cells}
	}
	return out
}

func alignOrLeft(a layout.Align) layout.Align {
	if a == "" {
		return layout.AlignLeft
	}
	return a
}

package pdf

import (
	"context"
	"fmt"

	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/signintech/gopdf"
)

// ContentType is the MIME type of what a Renderer produces.
const ContentType = "application/pdf"

// Renderer renders purchase contracts as A4 PDF documents with embedded fonts. It implements
// sales.ContractRenderer. The zero value prints the default Russian contract (layout.DefaultContract) in
// DejaVu Sans; it is safe for concurrent use.
type Renderer struct {
	// Template turns the contract into the layout language; nil means layout.DefaultContract().
	Template *layout.Template
	// Fonts are embedded in the PDF; zero means DefaultFonts().
	Fonts Fonts
}

var _ sales.ContractRenderer = Renderer{}

// ContentType returns "application/pdf".
func (Renderer) ContentType() string { return ContentType }

// Render lays the contract out through the template and returns the PDF. It fails when the template fails,
// writes malformed layout, or ctx is done.
func (r Renderer) Render(ctx context.Context, c sales.Contract) ([]byte, error) {
	doc, err := r.Template.Build(c) // a nil template builds the default contract
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return r.RenderDocument(ctx, doc)
}

// RenderDocument lays out any layout document (an acceptance act, an invoice) as a PDF: the hook for
// documents that are not built from a sales.Contract. Pages are numbered "Страница i из n" at the foot, beside
// the document's title.
func (r Renderer) RenderDocument(ctx context.Context, doc layout.Document) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fonts := r.Fonts
	if len(fonts.Regular) == 0 || len(fonts.Bold) == 0 {
		fonts = DefaultFonts()
	}
	w, err := newWriter(fonts)
	if err != nil {
		return nil, err
	}
	w.pdf.SetInfo(gopdf.PdfInfo{Title: doc.Title, Creator: "dealercrm", Producer: "dealercrm adapters/pdf (gopdf)"})
	layOut(w, doc)
	w.footers(doc.Title)
	if w.err != nil {
		return nil, fmt.Errorf("pdf: lay out %q: %w", doc.Title, w.err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, err := w.pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("pdf: write %q: %w", doc.Title, err)
	}
	return out, nil
}

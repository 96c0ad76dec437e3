// Package pdf renders purchase contracts (and any layout document) as A4 PDF files with embedded DejaVu
// Sans fonts, so Cyrillic text is printed and can be searched and copied. Renderer implements
// sales.ContractRenderer.
//
// The wording comes from a template, not from this package: a layout.Template turns the sales.Contract into
// the small layout language of package layout (headings, paragraphs, tables, signature blocks), and this
// package lays that out: it wraps and justifies text, splits tables across pages repeating their header rows,
// keeps section headings with what follows and the signature block on one page, and numbers the pages
// ("Страница 1 из 3") at the foot beside the document's title.
//
// To print your own wording, start from layout.ContractTemplate:
//
//	tpl, err := layout.NewTemplate("contract", myTemplateText)
//	if err != nil {
//		return err
//	}
//	renderer := pdf.Renderer{Template: tpl}
//
// The same template drives htmldoc.Renderer, so the PDF and the HTML print the same contract. For documents
// that are not contracts, build a layout.Document yourself (or parse one with layout.Parse) and call
// Renderer.RenderDocument. Other fonts can be embedded through Renderer.Fonts.
//
// The fonts are DejaVu Sans 2.37 regular and bold (fonts/, licence in fonts/LICENSE), subset to the glyphs a
// document uses, so a contract weighs about 60 KB. Rendering is deterministic: one contract always gives the
// same bytes, and so the same SHA-256 in its crm.Document.
package pdf

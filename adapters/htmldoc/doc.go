// Package htmldoc renders purchase contracts (and any layout document) as one self-contained, printable HTML
// page: UTF-8, inline print CSS for A4, no scripts, fonts, images or links to fetch. Renderer implements
// sales.ContractRenderer.
//
// It is driven by the same layout.Template as package pdf, so the HTML shows the same wording as the PDF; pass
// your own template in Renderer.Template and your own stylesheet in Renderer.Style. Every piece of text is
// escaped by html/template, so contract data such as "<script>" is shown, never run.
package htmldoc

// Package layout is the small document language that contract templates write and renderers lay out, so that
// one template drives both the PDF (package pdf) and the HTML (package htmldoc) renderings of a contract.
//
// A Template runs over a sales.Contract and writes the language; Parse reads it into a Document of blocks.
// The language is XML with these elements (white space inside text collapses as in HTML; a no-break space,
// U+00A0 or &nbsp;, keeps words together):
//
//	<doc title="…">                     the root; title is the document's title
//	  <h1>…</h1>                        the title line: large, bold, centred
//	  <h2>…</h2>                        a section heading: bold, never left alone at the foot of a page
//	  <p align="justify">…</p>          a paragraph; align is left (default), center, right or justify
//	  <table widths="2 3" border="0">   relative column widths; border="0" hides the grid
//	    <thead><tr>…</tr></thead>       header rows, repeated on every page the table spans
//	    <tr><th>…</th><td align="right" span="2">…</td></tr>   th is bold; span joins columns
//	  </table>
//	  <signatures>                      the signature block: parties side by side, kept on one page
//	    <party title="Продавец" position="Директор" signer="Иванов И. И." stamp="1">
//	      <line>…</line>                a line of requisites
//	    </party>
//	  </signatures>
//	  <space pt="8"/>                   a vertical gap
//	  <pagebreak/>                      a new page
//	</doc>
//
// Text inside p, h1, h2, td, th and line may hold <b>…</b> (bold) and <br/> (a line break).
//
// To print your own contract, copy ContractTemplate, change it and build the renderers with it:
//
//	tpl, err := layout.NewTemplate("my-contract", myText)
//	pdfRenderer := pdf.Renderer{Template: tpl}
//	htmlRenderer := htmldoc.Renderer{Template: tpl}
package layout

package layout

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Parse reads a document written in the layout language (see the package comment) and returns it. Errors
// give the line of the layout text.
func Parse(r io.Reader) (Document, error) {
	p := parser{d: xml.NewDecoder(r)}
	p.d.Strict = true
	p.d.Entity = xml.HTMLEntity // &nbsp; &laquo; and friends are accepted
	return p.document()
}

// ParseString is Parse over a string.
func ParseString(s string) (Document, error) { return Parse(strings.NewReader(s)) }

type parser struct {
	d *xml.Decoder
}

func (p *parser) errorf(format string, args ...any) error {
	line, _ := p.d.InputPos()
	return fmt.Errorf("layout: line %d: %s", line, fmt.Sprintf(format, args...))
}

// next returns the next start element, end element or non-blank text; comments and processing instructions
// are skipped.
func (p *parser) next() (xml.Token, error) {
	for {
		tok, err := p.d.Token()
		if err != nil {
			if err == io.EOF {
				return nil, err
			}
			return nil, fmt.Errorf("layout: %w", err) // an *xml.SyntaxError, which names the line
		}
		switch t := tok.(type) {
		case xml.StartElement, xml.EndElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return t.Copy(), nil
			}
		}
	}
}

func (p *parser) document() (Document, error) {
	var doc Document
	tok, err := p.next()
	if err == io.EOF {
		return doc, p.errorf("no <doc> element")
	}
	if err != nil {
		return doc, err
	}
	start, ok := tok.(xml.StartElement)
	if !ok || start.Name.Local != "doc" {
		return doc, p.errorf("the layout must start with <doc>")
	}
	doc.Title = collapse(attr(start, "title"))
	doc.Blocks, err = p.blocks("doc")
	return doc, err
}

// blocks reads block elements up to the end of the enclosing element.
func (p *parser) blocks(parent string) ([]Block, error) {
	var out []Block
	for {
		tok, err := p.next()
		if err == io.EOF {
			return nil, p.errorf("<%s> is not closed", parent)
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.CharData:
			return nil, p.errorf("text %q outside a block; wrap it in <p>", clip(string(t)))
		case xml.StartElement:
			b, err := p.block(t)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
	}
}

func (p *parser) block(start xml.StartElement) (Block, error) {
	switch name := start.Name.Local; name {
	case "h1", "h2":
		runs, err := p.inline(name)
		return Heading{Level: int(name[1] - '0'), Text: PlainText(runs)}, err
	case "p":
		runs, err := p.inline(name)
		return Paragraph{Align: align(start), Runs: runs}, err
	case "table":
		return p.table(start)
	case "signatures":
		return p.signatures()
	case "space":
		h, err := p.number(start, "pt", 0)
		if err != nil {
			return nil, err
		}
		return Space{Height: h}, p.empty(name)
	case "pagebreak":
		return PageBreak{}, p.empty(name)
	default:
		return nil, p.errorf("unknown block <%s>", name)
	}
}

func (p *parser) table(start xml.StartElement) (Block, error) {
	t := Table{Border: attr(start, "border") != "0"}
	for _, f := range strings.Fields(attr(start, "widths")) {
		w, err := strconv.ParseFloat(f, 64)
		if err != nil || w <= 0 {
			return nil, p.errorf("<table widths>: %q is not a positive number", f)
		}
		t.Widths = append(t.Widths, w)
	}
	for {
		tok, err := p.next()
		if err != nil {
			return nil, p.eof(err, "table")
		}
		switch e := tok.(type) {
		case xml.EndElement:
			return t, p.checkTable(t)
		case xml.CharData:
			return nil, p.errorf("text %q directly in <table>", clip(string(e)))
		case xml.StartElement:
			switch e.Name.Local {
			case "thead":
				rows, err := p.rows("thead")
				if err != nil {
					return nil, err
				}
				t.Header = append(t.Header, rows...)
			case "tr":
				row, err := p.row()
				if err != nil {
					return nil, err
				}
				t.Rows = append(t.Rows, row)
			default:
				return nil, p.errorf("<%s> in <table>; expected <thead> or <tr>", e.Name.Local)
			}
		}
	}
}

// checkTable makes sure every row fills the columns the widths declare (or, without widths, the first row).
func (p *parser) checkTable(t Table) error {
	cols := len(t.Widths)
	for _, r := range append(append([]Row(nil), t.Header...), t.Rows...) {
		n := 0
		for _, c := range r.Cells {
			n += c.Span
		}
		if cols == 0 {
			cols = n
		}
		if n != cols {
			return p.errorf("a table row covers %d columns, the table has %d", n, cols)
		}
	}
	return nil
}

func (p *parser) rows(parent string) ([]Row, error) {
	var out []Row
	for {
		tok, err := p.next()
		if err != nil {
			return nil, p.eof(err, parent)
		}
		switch e := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.StartElement:
			if e.Name.Local != "tr" {
				return nil, p.errorf("<%s> in <%s>; expected <tr>", e.Name.Local, parent)
			}
			row, err := p.row()
			if err != nil {
				return nil, err
			}
			out = append(out, row)
		default:
			return nil, p.errorf("text directly in <%s>", parent)
		}
	}
}

func (p *parser) row() (Row, error) {
	var r Row
	for {
		tok, err := p.next()
		if err != nil {
			return r, p.eof(err, "tr")
		}
		switch e := tok.(type) {
		case xml.EndElement:
			if len(r.Cells) == 0 {
				return r, p.errorf("empty <tr>")
			}
			return r, nil
		case xml.StartElement:
			name := e.Name.Local
			if name != "td" && name != "th" {
				return r, p.errorf("<%s> in <tr>; expected <td> or <th>", name)
			}
			span, err := p.number(e, "span", 1)
			if err != nil {
				return r, err
			}
			runs, err := p.inline(name)
			if err != nil {
				return r, err
			}
			r.Cells = append(r.Cells, Cell{Runs: runs, Align: align(e), Bold: name == "th", Span: max(1, int(span))})
		default:
			return r, p.errorf("text directly in <tr>")
		}
	}
}

func (p *parser) signatures() (Block, error) {
	var s Signatures
	for {
		tok, err := p.next()
		if err != nil {
			return nil, p.eof(err, "signatures")
		}
		switch e := tok.(type) {
		case xml.EndElement:
			return s, nil
		case xml.StartElement:
			if e.Name.Local != "party" {
				return nil, p.errorf("<%s> in <signatures>; expected <party>", e.Name.Local)
			}
			party, err := p.party(e)
			if err != nil {
				return nil, err
			}
			s.Parties = append(s.Parties, party)
		default:
			return nil, p.errorf("text directly in <signatures>")
		}
	}
}

func (p *parser) party(start xml.StartElement) (Party, error) {
	party := Party{
		Title:    collapse(attr(start, "title")),
		Position: collapse(attr(start, "position")),
		Signer:   collapse(attr(start, "signer")),
		Stamp:    attr(start, "stamp") == "1",
	}
	for {
		tok, err := p.next()
		if err != nil {
			return party, p.eof(err, "party")
		}
		switch e := tok.(type) {
		case xml.EndElement:
			return party, nil
		case xml.StartElement:
			if e.Name.Local != "line" {
				return party, p.errorf("<%s> in <party>; expected <line>", e.Name.Local)
			}
			runs, err := p.inline("line")
			if err != nil {
				return party, err
			}
			if len(runs) > 0 {
				party.Lines = append(party.Lines, runs)
			}
		default:
			return party, p.errorf("text directly in <party>; wrap it in <line>")
		}
	}
}

// inline reads text, <b> and <br/> up to the end of the enclosing element and returns normalised runs.
func (p *parser) inline(parent string) ([]Run, error) {
	var runs []Run
	bold := 0
	for {
		tok, err := p.d.Token()
		if err != nil {
			if err != io.EOF {
				err = fmt.Errorf("layout: %w", err)
			}
			return nil, p.eof(err, parent)
		}
		switch t := tok.(type) {
		case xml.CharData:
			runs = append(runs, Run{Text: collapseSpaces(string(t)), Bold: bold > 0})
		case xml.StartElement:
			switch t.Name.Local {
			case "b":
				bold++
			case "br":
				runs = append(runs, Run{Break: true})
			default:
				return nil, p.errorf("<%s> in <%s>; only text, <b> and <br/> may be inside", t.Name.Local, parent)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "b":
				bold--
			case "br":
			default:
				return normalize(runs), nil
			}
		}
	}
}

// empty consumes the end of an element that must have no content.
func (p *parser) empty(name string) error {
	tok, err := p.next()
	if err != nil {
		return p.eof(err, name)
	}
	if _, ok := tok.(xml.EndElement); !ok {
		return p.errorf("<%s> must be empty", name)
	}
	return nil
}

func (p *parser) number(e xml.StartElement, name string, def float64) (float64, error) {
	s := attr(e, name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, p.errorf("<%s %s=%q>: not a non-negative number", e.Name.Local, name, s)
	}
	return v, nil
}

func (p *parser) eof(err error, element string) error {
	if err == io.EOF {
		return p.errorf("<%s> is not closed", element)
	}
	return err
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func align(e xml.StartElement) Align {
	switch a := Align(attr(e, "align")); a {
	case AlignCenter, AlignRight, AlignJustify:
		return a
	}
	return AlignLeft
}

// collapseSpaces turns every run of XML white space (space, tab, CR, LF) into one space; a no-break space
// (U+00A0) is not white space here and is kept.
func collapseSpaces(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// collapse is collapseSpaces and a trim.
func collapse(s string) string { return strings.Trim(collapseSpaces(s), " ") }

// normalize drops the spaces at the start and end of lines and doubled across runs, merges neighbouring runs
// of one style and drops empty ones.
func normalize(in []Run) []Run {
	var out []Run
	lineStart := true
	for _, r := range in {
		if r.Break {
			trimLast(out)
			out = append(out, r)
			lineStart = true
			continue
		}
		t := r.Text
		if lineStart || (len(out) > 0 && strings.HasSuffix(out[len(out)-1].Text, " ")) {
			t = strings.TrimLeft(t, " ")
		}
		if t == "" {
			continue
		}
		lineStart = false
		if n := len(out); n > 0 && !out[n-1].Break && out[n-1].Bold == r.Bold {
			out[n-1].Text += t
			continue
		}
		out = append(out, Run{Text: t, Bold: r.Bold})
	}
	trimLast(out)
	kept := out[:0]
	for _, r := range out {
		if r.Break || r.Text != "" {
			kept = append(kept, r)
		}
	}
	return kept
}

// trimLast trims the trailing space of the last text runs before a line end.
func trimLast(runs []Run) {
	for i := len(runs) - 1; i >= 0 && !runs[i].Break; i-- {
		runs[i].Text = strings.TrimRight(runs[i].Text, " ")
		if runs[i].Text != "" {
			return
		}
	}
}

func clip(s string) string {
	s = collapse(s)
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

package layout_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
)

func TestParseBlocks(t *testing.T) {
	doc, err := layout.ParseString(`<?xml version="1.0"?>
<doc title="  Договор   № 1 ">
  <!-- a comment -->
  <h1>ДОГОВОР
      КУПЛИ-ПРОДАЖИ</h1>
  <h2>1. Предмет</h2>
  <p align="justify">  Продавец   <b>ООО «Север»</b>, и
     Покупатель<br/>  вторая&nbsp;строка  </p>
  <table widths="1 2.5" border="0">
    <thead><tr><th>Поле</th><th align="right">Значение</th></tr></thead>
    <tr><td span="2" align="center">VIN <b>XTA</b></td></tr>
  </table>
  <signatures>
    <party title="Продавец" position="Директор" signer="Иванов И. И." stamp="1">
      <line><b>ООО «Север»</b></line>
      <line>ИНН 7701234567</line>
      <line>   </line>
    </party>
    <party title="Покупатель"><line>Петров</line></party>
  </signatures>
  <space pt="12"/>
  <space/>
  <pagebreak/>
</doc>`)
	if err != nil {
		t.Fatal(err)
	}
	want := layout.Document{Title: "Договор № 1", Blocks: []layout.Block{
		layout.Heading{Level: 1, Text: "ДОГОВОР КУПЛИ-ПРОДАЖИ"},
		layout.Heading{Level: 2, Text: "1. Предмет"},
		layout.Paragraph{Align: layout.AlignJustify, Runs: []layout.Run{
			{Text: "Продавец "}, {Text: "ООО «Север»", Bold: true}, {Text: ", и Покупатель"}, {Break: true},
			{Text: "вторая\u00a0строка"},
		}},
		layout.Table{Widths: []float64{1, 2.5}, Border: false,
			Header: []layout.Row{{Cells: []layout.Cell{
				{Runs: []layout.Run{{Text: "Поле"}}, Align: layout.AlignLeft, Bold: true, Span: 1},
				{Runs: []layout.Run{{Text: "Значение"}}, Align: layout.AlignRight, Bold: true, Span: 1},
			}}},
			Rows: []layout.Row{{Cells: []layout.Cell{
				{Runs: []layout.Run{{Text: "VIN "}, {Text: "XTA", Bold: true}}, Align: layout.AlignCenter, Span: 2},
			}}},
		},
		layout.Signatures{Parties: []layout.Party{
			{Title: "Продавец", Position: "Директор", Signer: "Иванов И. И.", Stamp: true, Lines: [][]layout.Run{
				{{Text: "ООО «Север»", Bold: true}}, {{Text: "ИНН 7701234567"}},
			}},
			{Title: "Покупатель", Lines: [][]layout.Run{{{Text: "Петров"}}}},
		}},
		layout.Space{Height: 12},
		layout.Space{},
		layout.PageBreak{},
	}}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("Parse =\n%#v\nwant\n%#v", doc, want)
	}
}

func TestParseWhiteSpace(t *testing.T) {
	cases := []struct {
		name, in string
		want     []layout.Run
	}{
		{"collapsed", "<p> a \n\t b </p>", []layout.Run{{Text: "a b"}}},
		{"across runs", "<p>a <b> b</b> c</p>", []layout.Run{{Text: "a "}, {Text: "b", Bold: true}, {Text: " c"}}},
		{"around breaks", "<p>a <br/> b</p>", []layout.Run{{Text: "a"}, {Break: true}, {Text: "b"}}},
		{"nested bold", "<p><b>a<b>b</b>c</b>d</p>", []layout.Run{{Text: "abc", Bold: true}, {Text: "d"}}},
		{"entities", "<p>&lt;b&gt; &amp; &laquo;x&raquo;</p>", []layout.Run{{Text: "<b> & «x»"}}},
		{"empty", "<p>   </p>", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := layout.ParseString("<doc>" + tc.in + "</doc>")
			if err != nil {
				t.Fatal(err)
			}
			got := doc.Blocks[0].(layout.Paragraph).Runs
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("runs = %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"no doc", ``, "no <doc>"},
		{"other root", `<html></html>`, "must start with <doc>"},
		{"unknown block", `<doc><div>x</div></doc>`, "unknown block <div>"},
		{"bare text", `<doc>hello</doc>`, "outside a block"},
		{"unclosed", `<doc><p>x</doc>`, "XML syntax error on line 1"},
		{"truncated", `<doc><p>x</p>`, "unexpected EOF"},
		{"block in text", `<doc><p><table></table></p></doc>`, "only text, <b> and <br/>"},
		{"bad widths", `<doc><table widths="1 x"><tr><td>a</td><td>b</td></tr></table></doc>`, "not a positive number"},
		{"row too short", `<doc><table widths="1 1"><tr><td>a</td></tr></table></doc>`, "covers 1 columns, the table has 2"},
		{"empty row", `<doc><table><tr></tr></table></doc>`, "empty <tr>"},
		{"cell outside row", `<doc><table><td>a</td></table></doc>`, "expected <thead> or <tr>"},
		{"bad span", `<doc><table><tr><td span="-1">a</td></tr></table></doc>`, "not a non-negative number"},
		{"party content", `<doc><signatures><party>x</party></signatures></doc>`, "wrap it in <line>"},
		{"non-empty break", `<doc><pagebreak>x</pagebreak></doc>`, "must be empty"},
		{"second line", "<doc>\n<p>a</p>\n<oops/>\n</doc>", "line 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := layout.Parse(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%q) = %v, want an error containing %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	got := layout.PlainText([]layout.Run{{Text: "a "}, {Text: "b", Bold: true}, {Break: true}, {Text: "c"}})
	if got != "a b\nc" {
		t.Errorf("PlainText = %q", got)
	}
}

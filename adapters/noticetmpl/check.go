package noticetmpl

import (
	"slices"
	"strings"
	texttemplate "text/template"
	"text/template/parse"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

var _ notify.TemplateChecker = Renderer{}

// Check walks the parse tree of each part of t (subject, text, html; the HTML part in text/template's syntax,
// which html/template shares) and refuses every reference to a fact outside facts: {{.Custmer}}, {{$.Custmer}},
// and a field of a fact ({{.name.First}}, or {{.First}} inside {{with .name}}: a fact is text and has no
// fields). The error is KindInvalid, one field error per part naming the variables it found. A part that does
// not parse is left to Render, which names it.
func (Renderer) Check(t notify.Template, facts []string) error {
	known := map[string]bool{}
	for _, f := range facts {
		known[f] = true
	}
	var p crm.Problems
	for _, part := range []struct{ field, src string }{{"subject", t.Subject}, {"text", t.Text}, {"html", t.HTML}} {
		if part.src == "" {
			continue
		}
		tpl, err := texttemplate.New(part.field).Parse(part.src)
		if err != nil || tpl.Tree == nil {
			continue
		}
		w := walker{known: known}
		for _, def := range tpl.Templates() { // the part itself and each {{define}} or {{block}} in it
			if def.Tree != nil {
				w.node(def.Tree.Root, true)
			}
		}
		if len(w.unknown) > 0 {
			p.Add(part.field, "uses %s: no such fact in %s notices (known: %s)", strings.Join(w.unknown, ", "), t.Kind,
				strings.Join(facts, ", "))
		}
	}
	return p.Err("noticetmpl.Check")
}

// walker collects the unknown references of one parse tree. root tells whether dot is the facts (true) or a
// fact's text (inside with or range over a fact).
type walker struct {
	known   map[string]bool
	unknown []string
}

func (w *walker) bad(ref string) {
	ref = "{{" + ref + "}}"
	if !slices.Contains(w.unknown, ref) {
		w.unknown = append(w.unknown, ref)
	}
}

func (w *walker) node(n parse.Node, root bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			w.node(c, root)
		}
	case *parse.ActionNode:
		w.pipe(n.Pipe, root)
	case *parse.IfNode:
		w.pipe(n.Pipe, root)
		w.node(n.List, root)
		w.node(n.ElseList, root)
	case *parse.WithNode:
		w.pipe(n.Pipe, root)
		w.node(n.List, false)
		w.node(n.ElseList, root)
	case *parse.RangeNode:
		w.pipe(n.Pipe, root)
		w.node(n.List, false)
		w.node(n.ElseList, root)
	case *parse.TemplateNode:
		w.pipe(n.Pipe, root)
	}
}

func (w *walker) pipe(p *parse.PipeNode, root bool) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		w.index(c, root)
		for _, a := range c.Args {
			w.arg(a, root)
		}
	}
}

// index checks {{index . "name"}} (and {{index $ "name"}}) like {{.name}}: the key must be a fact, and nothing
// can be indexed further (a fact is text). A key that is not a constant string cannot be checked and is refused.
func (w *walker) index(c *parse.CommandNode, root bool) {
	if len(c.Args) < 2 {
		return
	}
	if id, ok := c.Args[0].(*parse.IdentifierNode); !ok || id.Ident != "index" {
		return
	}
	facts := false
	switch a := c.Args[1].(type) {
	case *parse.DotNode:
		facts = root
	case *parse.VariableNode:
		facts = len(a.Ident) == 1 && a.Ident[0] == "$"
	}
	if !facts {
		return
	}
	key, ok := c.Args[2%len(c.Args)].(*parse.StringNode)
	if len(c.Args) != 3 || !ok || !w.known[key.Text] {
		w.bad(c.String())
	}
}

func (w *walker) arg(a parse.Node, root bool) {
	switch a := a.(type) {
	case *parse.FieldNode:
		if !root || len(a.Ident) != 1 || !w.known[a.Ident[0]] {
			w.bad(a.String())
		}
	case *parse.VariableNode:
		if a.Ident[0] == "$" && len(a.Ident) > 1 && (len(a.Ident) != 2 || !w.known[a.Ident[1]]) {
			w.bad(a.String())
		}
	case *parse.ChainNode:
		if len(a.Field) > 0 {
			w.bad(a.String())
		}
		w.arg(a.Node, root)
	case *parse.PipeNode:
		w.pipe(a, root)
	}
}

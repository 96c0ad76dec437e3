package memory

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoQueryRangesOverAWholeTable fails when a function of the adapter ranges over a whole table's rows
// (`range ….rows`), which holds every dealer's: a query of one dealer walks the dealer's own rows through the
// table's index (records.each, eachOf, the ordered views and groups), never the others' (issue 16 item 6, outside
// review D3, which found such loops in the reports, plan progress, the timeline and the outbox). The functions
// allowed are those whose scope is every dealer.
func TestNoQueryRangesOverAWholeTable(t *testing.T) {
	allowed := map[string]bool{
		"dealerStore.List": true, // the dealers themselves
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			fname := fn.Name.Name
			if fn.Recv != nil && len(fn.Recv.List) == 1 {
				typ := fn.Recv.List[0].Type
				if star, ok := typ.(*ast.StarExpr); ok {
					typ = star.X
				}
				if ix, ok := typ.(*ast.IndexExpr); ok {
					typ = ix.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					fname = id.Name + "." + fname
				}
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				r, ok := n.(*ast.RangeStmt)
				if !ok {
					return true
				}
				if sel, ok := r.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "rows" && !allowed[fname] {
					t.Errorf("%s: %s ranges over a whole table's rows (every dealer's)", fset.Position(r.Pos()), fname)
				}
				return true
			})
		}
	}
}

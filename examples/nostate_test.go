package examples

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// domainPackages are the directories of the domain packages: rules and types, no adapters (see allowed).
func domainPackages() []string {
	dirs := []string{"playbooks", "timeline"}
	for pkg := range allowed {
		dirs = append(dirs, pkg)
	}
	sort.Strings(dirs)
	return dirs
}

// TestDomainPackagesHoldNoState holds the rule that domain packages keep no mutable package-level state: no
// package variable has a type of sync or sync/atomic (a lock or a counter shared by the whole process), and no
// function writes a package variable (assigns it or an element or field of it, increments it, deletes from or
// clears it). Error sentinels, list names and tables read only are fine. What one deployment shares is an
// instance the program makes and hands over (crm.Revocations), so two stacks of one process never share it.
func TestDomainPackagesHoldNoState(t *testing.T) {
	for _, dir := range domainPackages() {
		fset := token.NewFileSet()
		var files []*ast.File
		entries, err := os.ReadDir(filepath.Join("..", dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join("..", dir, e.Name()), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		// The package's own names are all this needs: imports are empty packages and their errors are ignored.
		info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
		conf := types.Config{Importer: emptyImporter{}, Error: func(error) {}}
		pkg, _ := conf.Check(dir, fset, files, info)
		isPackageVar := func(e ast.Expr) (string, bool) {
			for {
				switch x := e.(type) {
				case *ast.SelectorExpr:
					e = x.X
				case *ast.IndexExpr:
					e = x.X
				case *ast.StarExpr:
					e = x.X
				case *ast.ParenExpr:
					e = x.X
				case *ast.Ident:
					v, ok := info.Uses[x].(*types.Var)
					return x.Name, ok && v.Parent() == pkg.Scope()
				default:
					return "", false
				}
			}
		}
		for _, f := range files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.GenDecl:
					if d.Tok != token.VAR {
						continue
					}
					for _, s := range d.Specs {
						s := s.(*ast.ValueSpec)
						text := ""
						if s.Type != nil {
							text = types.ExprString(s.Type)
						}
						for _, v := range s.Values {
							text += " " + types.ExprString(v)
						}
						if strings.Contains(text, "sync.") || strings.Contains(text, "atomic.") {
							t.Errorf("%s: package variable %s holds process-wide state (%s)", fset.Position(s.Pos()), s.Names[0], text)
						}
					}
				case *ast.FuncDecl:
					if d.Body == nil || (d.Recv == nil && d.Name.Name == "init") {
						continue
					}
					ast.Inspect(d.Body, func(n ast.Node) bool {
						var written []ast.Expr
						switch n := n.(type) {
						case *ast.AssignStmt:
							written = n.Lhs
						case *ast.IncDecStmt:
							written = []ast.Expr{n.X}
						case *ast.CallExpr:
							if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "delete" || id.Name == "clear") && len(n.Args) > 0 {
								written = n.Args[:1]
							}
						}
						for _, w := range written {
							if name, ok := isPackageVar(w); ok {
								t.Errorf("%s: %s writes package variable %s", fset.Position(w.Pos()), d.Name.Name, name)
							}
						}
						return true
					})
				}
			}
		}
	}
}

// emptyImporter imports every package as an empty one: enough to resolve a package's own names.
type emptyImporter struct{}

func (emptyImporter) Import(path string) (*types.Package, error) {
	p := types.NewPackage(path, filepath.Base(path))
	p.MarkComplete()
	return p, nil
}

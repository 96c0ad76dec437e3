package httpapi

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update rewrites golden files: go test ./adapters/httpapi -run TestOpenAPIGolden -update
var update = flag.Bool("update", false, "rewrite the golden files with what the code produces now")

// goldenOpenAPI is the served OpenAPI document as last reviewed.
var goldenOpenAPI = filepath.Join("testdata", "openapi.golden.json")

// TestOpenAPIGolden fails when the served document differs from the committed one, so that every change to the
// API a frontend generates from is seen in review. Accept an intended change with -update and commit the file.
func TestOpenAPIGolden(t *testing.T) {
	got := append(newFixture(t).h.OpenAPI(), '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenOpenAPI), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenOpenAPI, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenOpenAPI)
	if err != nil {
		t.Fatalf("%v; create it with: go test ./adapters/httpapi -run TestOpenAPIGolden -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the served OpenAPI document differs from %s (first difference at line %d).\n"+
			"Review the change; accept it with: go test ./adapters/httpapi -run TestOpenAPIGolden -update",
			goldenOpenAPI, firstDiffLine(got, want))
	}
}

// firstDiffLine returns the 1-based line where a and b first differ.
func firstDiffLine(a, b []byte) int {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range la {
		if i >= len(lb) || !bytes.Equal(la[i], lb[i]) {
			return i + 1
		}
	}
	return len(la) + 1
}

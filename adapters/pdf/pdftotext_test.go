package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pdfText extracts the text of a PDF with poppler's pdftotext, one string per page with white space
// (no-break spaces included) collapsed. Without pdftotext the test is skipped, except on CI (CI=true),
// where it fails: the check that the PDF really carries its text must not silently vanish there.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pdftotext is required on CI (apt-get install poppler-utils): %v", err)
		}
		t.Skipf("pdftotext not installed (apt-get install poppler-utils): %v", err)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	for i, p := range pages {
		pages[i] = strings.Join(strings.Fields(strings.ReplaceAll(p, "\u00a0", " ")), " ")
	}
	return pages
}

// mustContain fails the test for every want not in text.
func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF text lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", text)
	}
}

// isPDF reports whether b looks like a whole PDF file.
func isPDF(b []byte) bool {
	return bytes.HasPrefix(b, []byte("%PDF-")) && bytes.Contains(b[max(0, len(b)-64):], []byte("%%EOF"))
}

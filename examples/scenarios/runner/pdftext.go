package runner

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// checkPDFText extracts the text of a PDF body with poppler's pdftotext and reports each wanted text (variables
// expanded) it does not contain. White space, no-break spaces included, is collapsed on both sides, so "637 499,50"
// matches however the PDF spaced it. Without pdftotext on the PATH the check fails, saying so.
func checkPDFText(st *state, body []byte, wants []string) []string {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return []string{"pdf_contains needs pdftotext (poppler-utils) on the PATH"}
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(body)
	text, err := cmd.Output()
	if err != nil {
		return []string{fmt.Sprintf("pdftotext cannot read the body as a PDF: %v", err)}
	}
	got := collapse(string(text))
	var out []string
	for _, w := range wants {
		want, err := st.vars.expand(w)
		if err != nil {
			out = append(out, err.Error())
			continue
		}
		if !strings.Contains(got, collapse(want)) {
			out = append(out, fmt.Sprintf("the PDF's text does not contain %q", want))
		}
	}
	return out
}

// collapse replaces every run of white space (no-break spaces included) with one space.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0' || r == '\u202f'
	}), " ")
}

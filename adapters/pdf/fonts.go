package pdf

import _ "embed" // the DejaVu fonts

// The DejaVu Sans fonts embedded in every PDF (subset to the glyphs used). They cover Latin, Cyrillic and
// Greek. Licence: fonts/LICENSE.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
)

// Fonts are the TrueType fonts a Renderer embeds: a regular and a bold face of one family. Both must cover
// every character the documents use.
type Fonts struct {
	Regular []byte
	Bold    []byte
}

// DefaultFonts returns DejaVu Sans regular and bold, embedded in this package.
func DefaultFonts() Fonts { return Fonts{Regular: dejaVuSans, Bold: dejaVuSansBold} }

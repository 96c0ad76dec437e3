package pdf

// Page geometry and type sizes, in points (1/72 inch). The page is A4 portrait; margins follow the usual
// Russian office layout (20 mm left and bottom, 15 mm top and right).
const (
	pageWidth    = 595.28
	pageHeight   = 841.89
	marginLeft   = 56.69
	marginRight  = 42.52
	marginTop    = 42.52
	marginBottom = 56.69

	sizeBody     = 10.0
	sizeTable    = 9.0
	sizeTitle    = 13.0
	sizeSection  = 10.5
	sizeFooter   = 8.0
	lineSpacing  = 1.3 // line height as a multiple of the type size
	ascent       = 0.95
	cellPadding  = 3.0
	paraGap      = 4.0 // after a paragraph
	sectionGap   = 8.0 // before a section heading
	defaultSpace = 8.0
	borderWidth  = 0.5
	columnGap    = 20.0 // between the parties of a signature block
)

const (
	fontRegular = "regular"
	fontBold    = "bold"
)

package appraisal

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/crm"
)

// MaxFileSize is the largest attachment, in bytes (20 MiB: a phone photo or a scanned document).
const MaxFileSize = 20 << 20

// MaxFileNameLength is the longest attachment name kept, in characters (longer names are shortened).
const MaxFileNameLength = 120

// The crm.Document kinds of a sheet's attachments.
const (
	PhotoKind    = "appraisal_photo"    // an image
	DocumentKind = "appraisal_document" // a PDF (a scanned registration document, a service history)
)

// allowedTypes are the content types an attachment may have, with the extension a name gets when it lacks it.
var allowedTypes = map[string]string{
	"image/jpeg":      ".jpg",
	"image/png":       ".png",
	"image/gif":       ".gif",
	"image/webp":      ".webp",
	"image/bmp":       ".bmp",
	"application/pdf": ".pdf",
}

// AllowedContentTypes returns the content types an attachment may have: images and PDF.
func AllowedContentTypes() []string {
	return []string{"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "application/pdf"}
}

// Upload is a file a caller attaches to a sheet. Its content type is not the caller's to say: the service sniffs
// it from the bytes (see WithSniffer).
type Upload struct {
	Name string
	Data []byte
}

// CheckUpload judges an upload whose bytes sniffed as sniffed (a MIME type such as net/http.DetectContentType
// gives): it must not be empty nor larger than MaxFileSize ("file"), it must be an image or a PDF ("file": the
// sniffed type is named), and its name must be a plain file name ("file.name": a path — a slash, a backslash, a
// drive letter's colon, "..", "." — is refused, not cut off). It returns the sanitised name (trimmed, control characters
// and characters unsafe in file names replaced by '_', shortened to MaxFileNameLength, given the type's extension
// when it has another), the content type and the document kind (PhotoKind or DocumentKind), or a
// crm.KindInvalid error naming every wrong field.
func CheckUpload(u Upload, sniffed string) (name, contentType, kind string, err error) {
	var p crm.Problems
	switch {
	case len(u.Data) == 0:
		p.Add("file", "is empty")
	case len(u.Data) > MaxFileSize:
		p.Add("file", "is %d bytes, more than the %d allowed", len(u.Data), MaxFileSize)
	}
	mt, _, perr := mime.ParseMediaType(sniffed)
	ext, ok := allowedTypes[mt]
	if perr != nil || !ok {
		mt = strings.TrimSpace(sniffed)
		if len(u.Data) > 0 {
			p.Add("file", "is %s; only images (JPEG, PNG, GIF, WebP, BMP) and PDF are accepted", mt)
		}
	}
	name, nerr := sanitizeName(u.Name, ext)
	if nerr != "" {
		p.Add("file.name", "%s", nerr)
	}
	if err := p.Err("appraisal.CheckUpload"); err != nil {
		return "", "", "", err
	}
	kind = PhotoKind
	if mt == "application/pdf" {
		kind = DocumentKind
	}
	return name, mt, kind, nil
}

// sanitizeName returns the name to keep, or why the name is refused.
func sanitizeName(name, ext string) (string, string) {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) {
		return "", "is not valid UTF-8"
	}
	if strings.ContainsAny(name, `/\`) || name == ".." || name == "." || (len(name) > 1 && name[1] == ':') {
		return "", "must be a file name, not a path"
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsControl(r) || strings.ContainsRune(`<>:"|?*`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	clean := strings.Trim(b.String(), ". ")
	base := strings.TrimSuffix(clean, path.Ext(clean))
	if base == "" {
		base = "file"
	}
	if !strings.EqualFold(path.Ext(clean), ext) && !(ext == ".jpg" && strings.EqualFold(path.Ext(clean), ".jpeg")) {
		clean = clean + ext
		if strings.TrimSuffix(clean, ext) == "" {
			clean = "file" + ext
		}
	}
	if n := utf8.RuneCountInString(clean); n > MaxFileNameLength {
		e := path.Ext(clean)
		r := []rune(strings.TrimSuffix(clean, e))
		clean = string(r[:MaxFileNameLength-utf8.RuneCountInString(e)]) + e
	}
	return clean, ""
}

// FileKey is where the bytes of attachment doc of sheet are kept in the file store:
// "dealers/<dealer>/appraisals/<sheet>/<document>-<name>".
func FileKey(dealer, sheet, doc crm.ID, name string) string {
	return fmt.Sprintf("dealers/%s/appraisals/%s/%s-%s", dealer, sheet, doc, name)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

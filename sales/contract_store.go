package sales

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"strings"
	"time"
	"unicode"

	"github.com/dealercrm/dealercrm/crm"
)

// ContractRenderer turns a contract into a printable file (PDF, HTML). Implementations live in adapters
// (adapters/pdf, adapters/htmldoc); they must be safe for concurrent use and must not change c.
type ContractRenderer interface {
	// Render returns the file's bytes. It fails when its template fails on c or ctx is done.
	Render(ctx context.Context, c Contract) ([]byte, error)
	// ContentType is the MIME type of what Render returns, e.g. "application/pdf".
	ContentType() string
}

// ContractDocumentKind is the crm.Document.Kind of a stored purchase contract.
const ContractDocumentKind = "purchase_contract"

// StoreContract renders c, puts the bytes in files under ContractKey(dealerID, saleID, c, ext), and
// returns the document record (kind ContractDocumentKind, subject saleID, size and SHA-256 of the bytes,
// created at now, Version 0) for the caller to save in its unit of work: no blob goes inside a transaction.
// The key depends only on the dealer, the sale and what the contract prints (its Fingerprint), so a retry
// overwrites the same file rather than duplicating it, and a changed contract never overwrites the file an
// earlier document points to.
// Errors from the renderer and the file store are returned wrapped, with their kinds.
func StoreContract(ctx context.Context, files crm.FileStore, r ContractRenderer, c Contract, dealerID, saleID crm.ID, now time.Time) (crm.Document, error) {
	const op = "sales.StoreContract"
	var p crm.Problems
	if files == nil {
		p.Add("files", "is required")
	}
	if r == nil {
		p.Add("renderer", "is required")
	}
	if dealerID == (crm.ID{}) {
		p.Add("dealer_id", "is required")
	}
	if saleID == (crm.ID{}) {
		p.Add("sale_id", "is required")
	}
	if err := p.Err(op); err != nil {
		return crm.Document{}, err
	}
	data, err := r.Render(ctx, c)
	if err != nil {
		return crm.Document{}, crm.Wrap(op, fmt.Errorf("render contract %s: %w", c.Number, err))
	}
	contentType := r.ContentType()
	key := ContractKey(dealerID, saleID, c, contractExtension(contentType))
	if err := files.Put(ctx, key, data, contentType); err != nil {
		return crm.Document{}, crm.Wrap(op, fmt.Errorf("store contract %s: %w", c.Number, err))
	}
	sum := sha256.Sum256(data)
	return crm.Document{
		Meta:        crm.NewMeta(dealerID, now),
		Kind:        ContractDocumentKind,
		SubjectID:   saleID,
		Name:        key[strings.LastIndexByte(key, '/')+1:],
		ContentType: contentType,
		Size:        int64(len(data)),
		SHA256:      hex.EncodeToString(sum[:]),
		Key:         key,
	}, nil
}

// ContractKey is where a sale's contract file is kept:
// "dealers/<dealer>/sales/<sale>/<fingerprint>/contract-<number><ext>", the fingerprint being the first 16 hex
// digits of c.Fingerprint(). The number is reduced to letters, digits, '-' and '_' (anything else becomes '-'),
// so "ДКП 2026/42" gives "contract-ДКП-2026-42"; ext is ".pdf", ".html" and the like.
func ContractKey(dealerID, saleID crm.ID, c Contract, ext string) string {
	return fmt.Sprintf("dealers/%s/sales/%s/%s/contract-%s%s", dealerID, saleID, c.Fingerprint()[:16],
		contractFileNumber(c.Number), ext)
}

func contractFileNumber(number string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(number) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		return "unnumbered"
	}
	return s
}

// contractExtensions are the file extensions of the formats a contract is likely rendered to. The table is
// fixed rather than read from the system's MIME database, so a key never depends on the machine.
var contractExtensions = map[string]string{
	"application/pdf": ".pdf",
	"text/html":       ".html",
	"text/plain":      ".txt",
	"application/rtf": ".rtf",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
	"application/vnd.oasis.opendocument.text":                                 ".odt",
}

// contractExtension maps a MIME type to a file extension: ".pdf", ".html" and the like, or ".bin".
func contractExtension(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if ext, ok := contractExtensions[mt]; ok && err == nil {
		return ext
	}
	return ".bin"
}

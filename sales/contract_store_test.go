package sales_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// textRenderer renders a contract as one line of text; err, when set, is returned instead.
type textRenderer struct {
	contentType string
	err         error
}

func (r textRenderer) Render(_ context.Context, c sales.Contract) ([]byte, error) {
	if r.err != nil {
		return nil, r.err
	}
	return []byte("Договор № " + c.Number + ", VIN " + c.Vehicle.VIN), nil
}

func (r textRenderer) ContentType() string { return r.contentType }

// contractFiles is a map FileStore; putErr, when set, fails every Put.
type contractFiles struct {
	files  map[string][]byte
	types  map[string]string
	putErr error
}

func newContractFiles() *contractFiles {
	return &contractFiles{files: map[string][]byte{}, types: map[string]string{}}
}

func (f *contractFiles) Put(_ context.Context, key string, data []byte, contentType string) error {
	if f.putErr != nil {
		return f.putErr
	}
	f.files[key], f.types[key] = bytes.Clone(data), contentType
	return nil
}

func (f *contractFiles) Get(_ context.Context, key string) ([]byte, error) {
	b, ok := f.files[key]
	if !ok {
		return nil, crm.NotFound("test", "no file %s", key)
	}
	return bytes.Clone(b), nil
}

func TestStoreContract(t *testing.T) {
	c, err := sales.BuildContract(contractInput())
	if err != nil {
		t.Fatal(err)
	}
	files := newContractFiles()
	dealer, sale := crm.NewID(), crm.NewID()
	now := time.Date(2026, 11, 26, 9, 30, 0, 0, time.FixedZone("MSK", 3*3600))
	doc, err := sales.StoreContract(context.Background(), files, textRenderer{contentType: "application/pdf"}, c, dealer, sale, now)
	if err != nil {
		t.Fatal(err)
	}
	data := files.files[doc.Key]
	sum := sha256.Sum256(data)
	wantKey := "dealers/" + dealer.String() + "/sales/" + sale.String() + "/" + c.Fingerprint()[:16] + "/contract-ДКП-2026-0042.pdf"
	switch {
	case doc.Key != wantKey:
		t.Errorf("key = %q, want %q", doc.Key, wantKey)
	case string(data) != "Договор № ДКП-2026/0042, VIN XTA21900080123456":
		t.Errorf("stored %q", data)
	case files.types[doc.Key] != "application/pdf":
		t.Errorf("stored content type %q", files.types[doc.Key])
	}
	want := crm.Document{
		Meta: crm.Meta{ID: doc.ID, DealerID: dealer, CreatedAt: now.UTC(), UpdatedAt: now.UTC()},
		Kind: sales.ContractDocumentKind, SubjectID: sale, Name: "contract-ДКП-2026-0042.pdf",
		ContentType: "application/pdf", Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Key: wantKey,
	}
	if doc != want {
		t.Errorf("document =\n%+v\nwant\n%+v", doc, want)
	}
	if doc.ID == (crm.ID{}) || doc.Version != 0 {
		t.Errorf("the record must have an ID and no version until saved: %+v", doc.Meta)
	}

	again, err := sales.StoreContract(context.Background(), files, textRenderer{contentType: "application/pdf"}, c, dealer, sale, now)
	if err != nil {
		t.Fatal(err)
	}
	if again.Key != doc.Key || again.SHA256 != doc.SHA256 || len(files.files) != 1 {
		t.Errorf("a retry must overwrite the same file: %d files, key %q", len(files.files), again.Key)
	}
}

func TestStoreContractErrors(t *testing.T) {
	c, err := sales.BuildContract(contractInput())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	boom := crm.Conflict("test", "disk full")
	cases := []struct {
		name   string
		files  crm.FileStore
		r      sales.ContractRenderer
		dealer crm.ID
		want   error
	}{
		{"no file store", nil, textRenderer{}, crm.NewID(), crm.ErrInvalid},
		{"no renderer", newContractFiles(), nil, crm.NewID(), crm.ErrInvalid},
		{"no dealer", newContractFiles(), textRenderer{}, crm.ID{}, crm.ErrInvalid},
		{"renderer fails", newContractFiles(), textRenderer{err: context.DeadlineExceeded}, crm.NewID(), context.DeadlineExceeded},
		{"file store fails", &contractFiles{putErr: boom}, textRenderer{contentType: "application/pdf"}, crm.NewID(), crm.ErrConflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sales.StoreContract(ctx, tc.files, tc.r, c, tc.dealer, crm.NewID(), time.Now())
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestContractKey(t *testing.T) {
	d, _ := crm.ParseID("id", "8d1b5e6a-0000-4000-8000-000000000001")
	cases := []struct{ number, ext, want string }{
		{"42", ".pdf", "contract-42.pdf"},
		{"ДКП 2026/42", ".html", "contract-ДКП-2026-42.html"},
		{"  ../../etc/passwd ", ".pdf", "contract-etc-passwd.pdf"},
		{"A_1--B", ".pdf", "contract-A_1-B.pdf"},
		{"///", ".pdf", "contract-unnumbered.pdf"},
		{"", ".bin", "contract-unnumbered.bin"},
	}
	for _, tc := range cases {
		c := sales.Contract{Number: tc.number}
		want := "dealers/" + d.String() + "/sales/" + d.String() + "/" + c.Fingerprint()[:16] + "/" + tc.want
		if got := sales.ContractKey(d, d, c, tc.ext); got != want {
			t.Errorf("ContractKey(%q) = %q, want %q", tc.number, got, want)
		}
	}
}

func TestStoreContractExtension(t *testing.T) {
	c, err := sales.BuildContract(contractInput())
	if err != nil {
		t.Fatal(err)
	}
	for contentType, ext := range map[string]string{
		"application/pdf":           ".pdf",
		"text/html; charset=utf-8":  ".html",
		"text/plain; charset=utf-8": ".txt",
		"":                          ".bin",
		"application/x-unknown-42":  ".bin",
	} {
		doc, err := sales.StoreContract(context.Background(), newContractFiles(), textRenderer{contentType: contentType}, c, crm.NewID(), crm.NewID(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Name[len(doc.Name)-len(ext):]; got != ext {
			t.Errorf("%q: name %q, want extension %q", contentType, doc.Name, ext)
		}
	}
}

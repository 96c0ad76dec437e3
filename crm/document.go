package crm

import (
	"context"
)

// Document is a generated or attached file (a purchase contract, an appraisal photo) known to the CRM. Its
// bytes live in a FileStore under Key; the record lives in a DocumentStore.
type Document struct {
	Meta
	Kind        string `json:"kind"`       // e.g. "purchase_contract"
	SubjectID   ID     `json:"subject_id"` // the record it belongs to (a sale, an appraisal)
	Name        string `json:"name"`       // file name offered on download
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Key         string `json:"key"` // where the FileStore keeps the bytes
}

// DocumentList is the list of one subject's documents (DocumentStore.PageBySubject), newest first: created_at,
// then ID, descending. Its cursors name it (List); adapters make and read them only through it.
var DocumentList = List{Name: "documents", Order: "created_at desc"}

// DocumentStore keeps document records of the context's dealer.
type DocumentStore interface {
	// Get returns the document; KindNotFound if missing.
	Get(ctx context.Context, id ID) (Document, error)
	// Create saves a new document record.
	Create(ctx context.Context, d *Document) error
	// ListBySubject returns the documents of a subject, newest first.
	ListBySubject(ctx context.Context, subject ID) ([]Document, error)
	// PageBySubject returns the page pr asks for of ListBySubject's list, read by keyset (see PageRequest);
	// KindInvalid naming cursor for a cursor that is not one.
	PageBySubject(ctx context.Context, subject ID, pr PageRequest) (Page[Document], error)
}

// FileStore keeps the bytes of documents outside transactions.
type FileStore interface {
	// Put stores data under key, replacing what was there.
	Put(ctx context.Context, key string, data []byte, contentType string) error
	// Get returns the bytes under key; KindNotFound if there are none.
	Get(ctx context.Context, key string) ([]byte, error)
}

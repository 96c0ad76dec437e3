package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

type documentStore struct{ t *Tx }

// Documents returns the document store of this unit of work.
func (t *Tx) Documents() crm.DocumentStore { return documentStore{t} }

const documentCols = `id, dealer_id, version, created_at, updated_at, kind, subject_id, name, content_type, size, sha256, key`

func scanDocument(row interface{ Scan(...any) error }) (crm.Document, error) {
	var d crm.Document
	err := row.Scan(&d.ID, &d.DealerID, &d.Version, &d.CreatedAt, &d.UpdatedAt, &d.Kind, &d.SubjectID, &d.Name,
		&d.ContentType, &d.Size, &d.SHA256, &d.Key)
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, err
}

func (s documentStore) Get(ctx context.Context, id crm.ID) (crm.Document, error) {
	dl, err := dealer(ctx)
	if err != nil {
		return crm.Document{}, err
	}
	d, err := scanDocument(s.t.tx.QueryRowxContext(ctx, `SELECT `+documentCols+` FROM documents WHERE id = $1 AND dealer_id = $2`, id, dl))
	if isNoRows(err) {
		return crm.Document{}, crm.NotFound("postgres.Documents.Get", "document %s not found", id)
	}
	return d, mapErr("postgres.Documents.Get", err)
}

func (s documentStore) Create(ctx context.Context, d *crm.Document) error {
	dl, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&d.Meta, dl, "postgres.Documents.Create"); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO documents (`+documentCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		d.ID, d.DealerID, d.CreatedAt, d.UpdatedAt, d.Kind, d.SubjectID, d.Name, d.ContentType, d.Size, d.SHA256, d.Key)
	return created(&d.Meta, mapErr("postgres.Documents.Create", err))
}

func (s documentStore) PageBySubject(ctx context.Context, subject crm.ID, pr crm.PageRequest) (crm.Page[crm.Document], error) {
	const op = "postgres.Documents.PageBySubject"
	pos, err := pr.Position(op, crm.DocumentList)
	if err != nil {
		return crm.Page[crm.Document]{}, err
	}
	dl, err := dealer(ctx)
	if err != nil {
		return crm.Page[crm.Document]{}, err
	}
	limit := crm.PageLimit(pr.Limit)
	args, after := []any{dl, subject, limit + 1}, ""
	if pos != nil {
		args, after = append(args, pos.At, pos.ID), " AND (created_at, id) < ($4, $5)"
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+documentCols+` FROM documents WHERE dealer_id = $1 AND subject_id = $2`+
		after+` ORDER BY created_at DESC, id DESC LIMIT $3`, args...)
	docs, err := collect(rows, err, op, scanDocument)
	if err != nil {
		return crm.Page[crm.Document]{}, err
	}
	return crm.PageFrom(docs, limit, crm.DocumentList, func(d *crm.Document) crm.Keyset { return crm.Keyset{At: d.CreatedAt, ID: d.ID} }), nil
}

func (s documentStore) ListBySubject(ctx context.Context, subject crm.ID) ([]crm.Document, error) {
	dl, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+documentCols+` FROM documents WHERE dealer_id = $1 AND subject_id = $2
		ORDER BY created_at DESC, id DESC`, dl, subject)
	return collect(rows, err, "postgres.Documents.ListBySubject", scanDocument)
}

package postgres

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/lib/pq"
)

type leadStore struct{ t *Tx }

// Leads returns the lead store of this unit of work.
func (t *Tx) Leads() leads.LeadStore { return leadStore{t} }

const leadCols = `id, dealer_id, version, created_at, updated_at, customer_id, source, need_type, owner_id, stage,
	sale_id, phones, emails, search, doc, external_id, response_due_at, first_response_at, response_minutes, response_notified_at`

func scanLead(row interface{ Scan(...any) error }) (leads.Lead, error) {
	var l leads.Lead
	var doc leadDoc
	var search string
	var source string
	var phones, emails pq.StringArray
	var due, first, told sql.NullTime
	err := row.Scan(&l.ID, &l.DealerID, &l.Version, &l.CreatedAt, &l.UpdatedAt, &l.CustomerID, &source, &l.NeedType,
		&l.OwnerID, &l.Stage, &l.SaleID, &phones, &emails, &search, jsonb{&doc}, &l.ExternalID, &due, &first, &l.ResponseMinutes, &told)
	if err != nil {
		return leads.Lead{}, err
	}
	l.ResponseDueAt, l.FirstResponseAt, l.ResponseBreachNotifiedAt = timeOrZero(due), timeOrZero(first), timeOrZero(told)
	l.Source = leads.Source(source)
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	if err := doc.fill(&l); err != nil {
		return leads.Lead{}, err
	}
	l.Contact.Phones, l.Contact.Emails = nilIfEmpty(phones), nilIfEmpty(emails)
	return l, nil
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// nullableID writes the zero ID as NULL.
func nullableID(id crm.ID) any {
	if id == (crm.ID{}) {
		return nil
	}
	return id
}

func (s leadStore) Get(ctx context.Context, id crm.ID) (leads.Lead, error) {
	d, err := dealer(ctx)
	if err != nil {
		return leads.Lead{}, err
	}
	// The directory version comes along (dircache.go): converting the lead lists the sales stages.
	l, err := scanLead(withVersion{s.t.tx.QueryRowxContext(ctx, `SELECT `+leadCols+dirVersionCol("$2")+
		` FROM leads WHERE id = $1 AND dealer_id = $2`+s.t.lock(), id, d), s.t, d})
	if isNoRows(err) {
		return leads.Lead{}, crm.NotFound("postgres.Leads.Get", "lead %s not found", id)
	}
	return l, mapErr("postgres.Leads.Get", err)
}

func (s leadStore) Create(ctx context.Context, l *leads.Lead) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&l.Meta, d, "postgres.Leads.Create"); err != nil {
		return err
	}
	// through write: inside a crm.Batch (leads.Service.CreateLead: the lead and its playbook tasks) it is held
	// and sent with the batch's other writes
	return s.t.write(ctx, "leads", `INSERT INTO leads (`+leadCols+`)
		VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		[]any{l.ID, l.DealerID, l.CreatedAt.UTC(), l.UpdatedAt.UTC(), nullableID(l.CustomerID), string(l.Source), l.NeedType,
			nullableID(l.OwnerID), l.Stage, nullableID(l.SaleID), pq.StringArray(nonNil(l.Contact.Phones)),
			pq.StringArray(nonNil(l.Contact.Emails)), l.SearchText(), jsonb{leadDocOf(l)}, l.ExternalID,
			nullTime(l.ResponseDueAt), nullTime(l.FirstResponseAt), l.ResponseMinutes, nullTime(l.ResponseBreachNotifiedAt)},
		func(_ sql.Result, err error) error { return created(&l.Meta, mapErr("postgres.Leads.Create", err)) })
}

func (s leadStore) Update(ctx context.Context, l *leads.Lead) error {
	l.UpdatedAt = s.t.now
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	return s.t.write(ctx, "leads", `UPDATE leads SET version = version + 1, updated_at = $4, customer_id = $5,
		source = $6, need_type = $7, owner_id = $8, stage = $9, sale_id = $10, phones = $11, emails = $12, search = $13,
		doc = $14, external_id = $15, response_due_at = $16, first_response_at = $17, response_minutes = $18,
		response_notified_at = $19
		WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		[]any{l.ID, d, l.Version, l.UpdatedAt.UTC(), nullableID(l.CustomerID), string(l.Source), l.NeedType,
			nullableID(l.OwnerID), l.Stage, nullableID(l.SaleID), pq.StringArray(nonNil(l.Contact.Phones)),
			pq.StringArray(nonNil(l.Contact.Emails)), l.SearchText(), jsonb{leadDocOf(l)}, l.ExternalID,
			nullTime(l.ResponseDueAt), nullTime(l.FirstResponseAt), l.ResponseMinutes, nullTime(l.ResponseBreachNotifiedAt)},
		func(res sql.Result, err error) error {
			if err := s.t.updated(ctx, "postgres.Leads.Update", "leads", l.ID, d, res, err); err != nil {
				return err
			}
			l.Version++
			return nil
		})
}

func (s leadStore) FindByContact(ctx context.Context, phone, email string) ([]leads.Lead, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	if phone == "" && email == "" {
		return nil, nil
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+leadCols+` FROM leads WHERE dealer_id = $1
		AND (($2 <> '' AND phones @> ARRAY[$2]) OR ($3 <> '' AND emails @> ARRAY[$3])) ORDER BY created_at, id`, d, phone, email)
	return collect(rows, err, "postgres.Leads.FindByContact", scanLead)
}

// likeEscaper escapes the LIKE wildcards of a literal substring (the escape character is \).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (s leadStore) List(ctx context.Context, q leads.LeadQuery) (leads.LeadPage, error) {
	const op = "postgres.Leads.List"
	d, err := dealer(ctx)
	if err != nil {
		return leads.LeadPage{}, err
	}
	at, after, err := leads.LeadList.DecodeTime("postgres.Leads.List", q.Cursor)
	if err != nil {
		return leads.LeadPage{}, err
	}
	limit := crm.PageLimit(q.Limit)
	args := params{d}
	arg := args.add
	where := []string{"dealer_id = $1"}
	if q.Stage != "" {
		where = append(where, "stage = "+arg(q.Stage))
	}
	if q.Source != "" {
		where = append(where, "source = "+arg(string(q.Source)))
	}
	if q.NeedType != "" {
		where = append(where, "need_type = "+arg(q.NeedType))
	}
	if q.OwnerID != (crm.ID{}) {
		where = append(where, "owner_id = "+arg(q.OwnerID))
	}
	if q.CustomerID != (crm.ID{}) {
		where = append(where, "customer_id = "+arg(q.CustomerID))
	}
	if q.Phone != "" {
		// Phones are stored normalised ("+79161234567"); the query is the digits they end with.
		where = append(where, "EXISTS (SELECT 1 FROM unnest(phones) AS p WHERE p LIKE '%' || "+arg(likeEscaper.Replace(q.Phone))+")")
	}
	if text := strings.ToLower(strings.TrimSpace(q.Text)); text != "" {
		where = append(where, "search LIKE '%' || "+arg(likeEscaper.Replace(text))+" || '%'")
	}
	if q.Cursor != "" {
		where = append(where, "(created_at, id) < ("+arg(at)+", "+arg(after)+")")
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+leadCols+` FROM leads WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT `+arg(limit+1), args...)
	items, err := collect(rows, err, op, scanLead)
	if err != nil {
		return leads.LeadPage{}, err
	}
	page := leads.LeadPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = leads.LeadList.TimeCursor(last.CreatedAt, last.ID)
	}
	return page, nil
}

var _ leads.Stores = (*Tx)(nil)

// GetByExternalID implements leads.LeadStore.GetByExternalID.
func (s leadStore) GetByExternalID(ctx context.Context, externalID string) (leads.Lead, error) {
	const op = "postgres.Leads.GetByExternalID"
	d, err := dealer(ctx)
	if err != nil {
		return leads.Lead{}, err
	}
	l, err := scanLead(s.t.tx.QueryRowxContext(ctx, `SELECT `+leadCols+` FROM leads
		WHERE dealer_id = $1 AND external_id = $2 AND external_id <> ''`, d, externalID))
	if isNoRows(err) {
		return leads.Lead{}, crm.NotFound(op, "no lead with external ID %q", externalID)
	}
	return l, mapErr(op, err)
}

// FindDuplicates implements leads.DuplicateFinder: the dealer's leads and customers having any of the phones or
// e-mails, in one statement (both tables' array indexes), each list by creation then ID. The leads carry their
// ID, creation time, stage and phones and e-mails; the customers their ID, creation time and contact.
func (t *Tx) FindDuplicates(ctx context.Context, phones, emails []string) ([]leads.Lead, []crm.Customer, error) {
	const op = "postgres.Leads.FindDuplicates"
	d, err := dealer(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err := t.tx.QueryContext(ctx, `
		SELECT 'l' AS k, id, created_at, stage, '' AS kind, '' AS first_name, '' AS middle_name, '' AS last_name,
			'' AS company_name, phones, emails
		FROM leads WHERE dealer_id = $1 AND (phones && $2::text[] OR emails && $3::text[])
		UNION ALL
		SELECT 'c', id, created_at, '', kind::text, first_name, middle_name, last_name, company_name, phones, emails
		FROM customers WHERE dealer_id = $1 AND (phones && $2::text[] OR emails && $3::text[])
		ORDER BY 1, 3, 2`, d, pq.StringArray(nonNil(phones)), pq.StringArray(nonNil(emails)))
	if err != nil {
		return nil, nil, mapErr(op, err)
	}
	defer rows.Close()
	var ls []leads.Lead
	var cs []crm.Customer
	for rows.Next() {
		var k, stage, kind string
		var id crm.ID
		var created time.Time
		var c crm.Contact
		if err := rows.Scan(&k, &id, &created, &stage, &kind, &c.FirstName, &c.MiddleName, &c.LastName,
			&c.CompanyName, (*pq.StringArray)(&c.Phones), (*pq.StringArray)(&c.Emails)); err != nil {
			return nil, nil, mapErr(op, err)
		}
		if k == "l" {
			l := leads.Lead{Contact: c, Stage: stage}
			l.ID, l.DealerID, l.CreatedAt = id, d, created.UTC()
			ls = append(ls, l)
			continue
		}
		c.Kind = crm.PartyKind(kind)
		cu := crm.Customer{Contact: c}
		cu.ID, cu.DealerID, cu.CreatedAt = id, d, created.UTC()
		cs = append(cs, cu)
	}
	return ls, cs, mapErr(op, rows.Err())
}

var _ leads.DuplicateFinder = (*Tx)(nil)

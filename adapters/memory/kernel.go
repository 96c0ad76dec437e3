package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
)

var (
	dealerRecords   = records[crm.Dealer]{name: "dealers", meta: func(d *crm.Dealer) *crm.Meta { return &d.Meta }}
	userRecords     = records[crm.User]{name: "users", meta: func(u *crm.User) *crm.Meta { return &u.Meta }}
	customerRecords = records[crm.Customer]{name: "customers", meta: func(c *crm.Customer) *crm.Meta { return &c.Meta },
		clone: crm.Customer.Clone, keys: func(c *crm.Customer) []string { return contactKeys(c.Contact) },
		external: func(c *crm.Customer) string { return c.ExternalID }}
	documentRecords = records[crm.Document]{name: "documents", meta: func(d *crm.Document) *crm.Meta { return &d.Meta },
		groups: []group[crm.Document]{{name: "subject", key: func(d *crm.Document) (crm.ID, bool) { return d.SubjectID, true },
			cmp: createdOrder(func(d *crm.Document) *crm.Meta { return &d.Meta }).cmp}}}
)

type dealerStore struct{ tx *Tx }

// Dealers returns the dealer store of this unit of work.
func (tx *Tx) Dealers() crm.DealerStore { return dealerStore{tx} }

// dealers are their own scope: the context's dealer is the dealer asked for.
func (s dealerStore) Get(ctx context.Context, id crm.ID) (crm.Dealer, error) {
	return dealerRecords.get(crm.WithDealer(ctx, id), s.tx, id)
}

func (s dealerStore) Create(ctx context.Context, d *crm.Dealer) error {
	if d.ID == (crm.ID{}) {
		d.ID = crm.NewID()
	}
	d.DealerID = d.ID
	return dealerRecords.create(crm.WithDealer(ctx, d.ID), s.tx, d)
}

func (s dealerStore) Update(ctx context.Context, d *crm.Dealer) error {
	return dealerRecords.update(crm.WithDealer(ctx, d.ID), s.tx, d)
}

func (s dealerStore) List(ctx context.Context) ([]crm.Dealer, error) {
	var out []crm.Dealer
	for _, d := range dealerRecords.table(s.tx).rows {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, nil
}

type userStore struct{ tx *Tx }

// Users returns the user store of this unit of work.
func (tx *Tx) Users() crm.UserStore { return userStore{tx} }

func (s userStore) Get(ctx context.Context, id crm.ID) (crm.User, error) {
	return userRecords.get(ctx, s.tx, id)
}

func (s userStore) Create(ctx context.Context, u *crm.User) error {
	return userRecords.create(ctx, s.tx, u)
}

func (s userStore) Update(ctx context.Context, u *crm.User) error {
	return userRecords.update(ctx, s.tx, u)
}

func (s userStore) List(ctx context.Context) ([]crm.User, error) {
	out, err := userRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}

type customerStore struct{ tx *Tx }

// Customers returns the customer store of this unit of work.
func (tx *Tx) Customers() crm.CustomerStore { return customerStore{tx} }

func (s customerStore) Get(ctx context.Context, id crm.ID) (crm.Customer, error) {
	return customerRecords.get(ctx, s.tx, id)
}

func (s customerStore) Create(ctx context.Context, c *crm.Customer) error {
	return customerRecords.create(ctx, s.tx, c)
}

func (s customerStore) Update(ctx context.Context, c *crm.Customer) error {
	return customerRecords.update(ctx, s.tx, c)
}

func (s customerStore) Delete(ctx context.Context, id crm.ID, version int64) error {
	return customerRecords.remove(ctx, s.tx, id, version)
}

func (s customerStore) FindByContact(ctx context.Context, phone, email string) ([]crm.Customer, error) {
	if phone == "" && email == "" {
		return nil, nil
	}
	out, err := customerRecords.find(ctx, s.tx, phoneKey(phone), emailKey(email))
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}

func (s customerStore) List(ctx context.Context, after crm.ID, limit int) ([]crm.Customer, error) {
	out, err := customerRecords.all(ctx, s.tx, func(c *crm.Customer) bool { return c.ID.String() > after.String() })
	sort.Slice(out, func(i, j int) bool { return out[i].ID.String() < out[j].ID.String() })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

type documentStore struct{ tx *Tx }

// Documents returns the document store of this unit of work.
func (tx *Tx) Documents() crm.DocumentStore { return documentStore{tx} }

func (s documentStore) Get(ctx context.Context, id crm.ID) (crm.Document, error) {
	return documentRecords.get(ctx, s.tx, id)
}

func (s documentStore) Create(ctx context.Context, d *crm.Document) error {
	return documentRecords.create(ctx, s.tx, d)
}

func (s documentStore) PageBySubject(ctx context.Context, subject crm.ID, pr crm.PageRequest) (crm.Page[crm.Document], error) {
	return documentRecords.newestPageIn(ctx, s.tx, "memory.Documents.PageBySubject", crm.DocumentList, "subject", subject, pr)
}

func (s documentStore) ListBySubject(ctx context.Context, subject crm.ID) ([]crm.Document, error) {
	out, err := documentRecords.all(ctx, s.tx, func(d *crm.Document) bool { return d.SubjectID == subject })
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, err
}

// contactKeys are the index keys of a contact's phones and e-mails.
func contactKeys(c crm.Contact) []string {
	keys := make([]string, 0, len(c.Phones)+len(c.Emails))
	for _, p := range c.Phones {
		keys = append(keys, phoneKey(p))
	}
	for _, e := range c.Emails {
		keys = append(keys, emailKey(e))
	}
	return keys
}

func phoneKey(p string) string {
	if p == "" {
		return ""
	}
	return "phone:" + p
}

func emailKey(e string) string {
	if e == "" {
		return ""
	}
	return "email:" + e
}

// GetByExternalID implements crm.CustomerStore.GetByExternalID.
func (s customerStore) GetByExternalID(ctx context.Context, externalID string) (crm.Customer, error) {
	return customerRecords.byExternal(ctx, s.tx, externalID)
}

package customers

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// Service runs the customer use cases of the context's dealer (crm.WithDealer).
type Service struct {
	uow crm.UnitOfWork[Stores]
}

// NewService returns a service over uow (crm.NewUnit[customers.Stores](db, clock)); times come from the unit of
// work (crm.Now). It panics when uow is nil: that is a wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores]) *Service {
	if uow == nil {
		panic("customers.NewService: nil unit of work")
	}
	return &Service{uow: uow}
}

// CreateCustomer validates c (crm.NewCustomer: crm.KindInvalid naming the fields) and saves it as a customer of
// the context's dealer; phones and e-mails are stored normalised.
func (s *Service) CreateCustomer(ctx context.Context, c crm.Customer) (crm.Customer, error) {
	const op = "customers.Service.CreateCustomer"
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.Customer{}, wrap(op, err)
	}
	var out crm.Customer
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		nc, err := crm.NewCustomer(dealer, c, crm.Now(ctx))
		if err != nil {
			return err
		}
		if err := st.Customers().Create(ctx, &nc); err != nil {
			return err
		}
		out = nc
		return nil
	})
	return out, wrap(op, err)
}

// GetCustomer returns the customer; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetCustomer(ctx context.Context, id crm.ID) (crm.Customer, error) {
	var out crm.Customer
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Customers().Get(ctx, id)
		return err
	})
	return out, wrap("customers.Service.GetCustomer", err)
}

// UpdateCustomer replaces the editable fields of the customer (contact, tax ID, birth date, identity document,
// address) with those of c, validated as in CreateCustomer; c's consents change the stored ones they name and
// leave the others (crm.Consents.Settle: a word repeated keeps its time and source). expectedVersion is the version the caller read; it is
// checked inside the same unit of work as the write (crm.KindStaleVersion when the customer changed meanwhile);
// 0 writes unconditionally. crm.KindNotFound if missing or another dealer's.
func (s *Service) UpdateCustomer(ctx context.Context, id crm.ID, expectedVersion int64, c crm.Customer) (crm.Customer, error) {
	const op = "customers.Service.UpdateCustomer"
	var out crm.Customer
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		cur, err := st.Customers().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(cur.Meta, expectedVersion); err != nil {
			return err
		}
		next, err := crm.NewCustomer(cur.DealerID, c, crm.Now(ctx))
		if err != nil {
			return err
		}
		next.Meta = cur.Meta
		next.UpdatedAt = crm.Now(ctx)
		next.Consents = c.Consents.Settle(cur.Consents, crm.Now(ctx))
		if err := st.Customers().Update(ctx, &next); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, wrap(op, err)
}

// FindCustomers returns the dealer's customers having the phone or the e-mail, oldest first. Both are normalised
// first (crm.NormalizePhone, crm.NormalizeEmail), so "8 (900) 000-00-00" finds "+79000000000"; a value that is
// not a phone or an e-mail matches nothing, and two blanks give none.
func (s *Service) FindCustomers(ctx context.Context, phone, email string) ([]crm.Customer, error) {
	phone, email = crm.NormalizePhone(phone), crm.NormalizeEmail(email)
	if phone == "" && email == "" {
		return nil, nil
	}
	var out []crm.Customer
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Customers().FindByContact(ctx, phone, email)
		return err
	})
	return out, wrap("customers.Service.FindCustomers", err)
}

// List is the list of the dealer's customers by ID (ListCustomers). Its cursors name it (crm.List.IDCursor).
var List = crm.List{Name: "customers", Order: "id asc"}

// ListCustomers returns up to limit of the dealer's customers ordered by ID, after the customer with ID after
// (zero: from the first).
func (s *Service) ListCustomers(ctx context.Context, after crm.ID, limit int) ([]crm.Customer, error) {
	if limit <= 0 {
		return nil, crm.Invalid("customers.Service.ListCustomers", crm.FieldError{Field: "limit", Message: "must be positive"})
	}
	var out []crm.Customer
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Customers().List(ctx, after, limit)
		return err
	})
	return out, wrap("customers.Service.ListCustomers", err)
}

// checkVersion refuses a caller's version that is not the stored one; 0 (crm.Unconditional) skips the check.
func checkVersion(m crm.Meta, version int64) error {
	return crm.CheckVersion("customers", m.Version, version)
}

// wrap names op as the operation that failed (crm.Wrap: kind and code kept, no operation name shown to callers).
func wrap(op string, err error) error { return crm.Wrap(op, err) }

// GetCustomerByExternalID returns the customer with the embedder's external ID (unique per dealer);
// crm.KindNotFound if there is none.
func (s *Service) GetCustomerByExternalID(ctx context.Context, externalID string) (crm.Customer, error) {
	var out crm.Customer
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Customers().GetByExternalID(ctx, externalID)
		return err
	})
	return out, wrap("customers.Service.GetCustomerByExternalID", err)
}

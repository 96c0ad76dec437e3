package aftersales

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// Service reads customer vehicles. Customer vehicles are created by winning a sale (sales.Service.WinSale).
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
}

// NewService returns a service over uow; clock (crm.SystemClock when nil) stamps what the service will record
// (service visits, later). It panics when uow is nil: that is a wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock) *Service {
	if uow == nil {
		panic("aftersales.NewService: nil unit of work")
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
	return &Service{uow: uow, clock: clock}
}

// GetCustomerVehicle returns a customer vehicle of the context's dealer; crm.KindNotFound if missing or another
// dealer's, crm.KindForbidden without a dealer in the context.
func (s *Service) GetCustomerVehicle(ctx context.Context, id crm.ID) (CustomerVehicle, error) {
	var cv CustomerVehicle
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		cv, err = st.CustomerVehicles().Get(ctx, id)
		return err
	})
	if err != nil {
		return CustomerVehicle{}, crm.Wrap("aftersales.Service.GetCustomerVehicle", err)
	}
	return cv, nil
}

// ListCustomerVehiclesByCustomer returns the vehicles of a customer, oldest first; crm.KindNotFound if the
// customer does not exist (or is another dealer's).
func (s *Service) ListCustomerVehiclesByCustomer(ctx context.Context, customerID crm.ID) ([]CustomerVehicle, error) {
	var out []CustomerVehicle
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		if _, err := st.Customers().Get(ctx, customerID); err != nil {
			return err
		}
		out, err = st.CustomerVehicles().ListByCustomer(ctx, customerID)
		return err
	})
	if err != nil {
		return nil, crm.Wrap("aftersales.Service.ListCustomerVehiclesByCustomer", err)
	}
	return out, nil
}

// ListCustomerVehiclesByVehicle returns the customer-vehicle records of a catalog vehicle, oldest first;
// crm.KindNotFound if the vehicle does not exist (or is another dealer's).
func (s *Service) ListCustomerVehiclesByVehicle(ctx context.Context, vehicleID crm.ID) ([]CustomerVehicle, error) {
	var out []CustomerVehicle
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		if _, err := st.Vehicles().Get(ctx, vehicleID); err != nil {
			return err
		}
		out, err = st.CustomerVehicles().ListByVehicle(ctx, vehicleID)
		return err
	})
	if err != nil {
		return nil, crm.Wrap("aftersales.Service.ListCustomerVehiclesByVehicle", err)
	}
	return out, nil
}

// CustomerVehiclePage is one page of the dealer's customer vehicles.
type CustomerVehiclePage struct {
	Items      []CustomerVehicle
	NextCursor string // "" on the last page
}

// customerVehicleList is the dealer's customer vehicles, oldest first: created_at, then ID.
var customerVehicleList = crm.List{Name: "customer-vehicles", Order: "created_at asc"}

// ListCustomerVehicles returns one page of the dealer's customer vehicles, oldest first; pass NextCursor back as
// cursor for the next. The limit is crm.PageLimit's; a cursor this list did not make is crm.KindInvalid naming "cursor".
func (s *Service) ListCustomerVehicles(ctx context.Context, cursor string, limit int) (CustomerVehiclePage, error) {
	at, after, err := customerVehicleList.DecodeTime("aftersales.Service.ListCustomerVehicles", cursor)
	if err != nil {
		return CustomerVehiclePage{}, err
	}
	limit = crm.PageLimit(limit)
	var items []CustomerVehicle
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		items, err = st.CustomerVehicles().List(ctx, at, after, limit+1)
		return err
	})
	if err != nil {
		return CustomerVehiclePage{}, err
	}
	page := CustomerVehiclePage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = customerVehicleList.TimeCursor(last.CreatedAt, last.ID)
	}
	return page, nil
}

package aftersales

import (
	"context"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// Service reads customer vehicles. Customer vehicles are created by winning a sale (sales.Service.Win).
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
}

// NewService returns a service over uow; clock stamps what the service will record (service visits, later).
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock) *Service {
	return &Service{uow: uow, clock: clock}
}

// Get returns a customer vehicle of the context's dealer; crm.KindNotFound if missing or another dealer's,
// crm.KindForbidden without a dealer in the context.
func (s *Service) Get(ctx context.Context, id crm.ID) (CustomerVehicle, error) {
	var cv CustomerVehicle
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		cv, err = st.CustomerVehicles().Get(ctx, id)
		return err
	})
	if err != nil {
		return CustomerVehicle{}, fmt.Errorf("aftersales.Service.Get: %w", err)
	}
	return cv, nil
}

// ListByCustomer returns the vehicles of a customer, oldest first; crm.KindNotFound if the customer does not
// exist (or is another dealer's).
func (s *Service) ListByCustomer(ctx context.Context, customerID crm.ID) ([]CustomerVehicle, error) {
	var out []CustomerVehicle
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		if _, err := st.Customers().Get(ctx, customerID); err != nil {
			return err
		}
		out, err = st.CustomerVehicles().ListByCustomer(ctx, customerID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("aftersales.Service.ListByCustomer: %w", err)
	}
	return out, nil
}

// ListByVehicle returns the customer-vehicle records of a catalog vehicle, oldest first; crm.KindNotFound if
// the vehicle does not exist (or is another dealer's).
func (s *Service) ListByVehicle(ctx context.Context, vehicleID crm.ID) ([]CustomerVehicle, error) {
	var out []CustomerVehicle
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		if _, err := st.Vehicles().Get(ctx, vehicleID); err != nil {
			return err
		}
		out, err = st.CustomerVehicles().ListByVehicle(ctx, vehicleID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("aftersales.Service.ListByVehicle: %w", err)
	}
	return out, nil
}

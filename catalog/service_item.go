package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// ServiceItem is a service (a labour operation) the dealer sells.
type ServiceItem struct {
	crm.Meta
	Code        string          `json:"code"`
	Name        string          `json:"name"`
	LabourHours decimal.Decimal `json:"labour_hours"`
	Price       crm.Money       `json:"price"`
}

// ServiceStore keeps the services of the context's dealer.
type ServiceStore interface {
	Get(ctx context.Context, id crm.ID) (ServiceItem, error)
	Create(ctx context.Context, s *ServiceItem) error
	Update(ctx context.Context, s *ServiceItem) error
}

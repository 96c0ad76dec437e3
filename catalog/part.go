package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// Part is a spare part or accessory the dealer sells.
type Part struct {
	crm.Meta
	Number           string    `json:"number"`
	Name             string    `json:"name"`
	CompatibleModels []string  `json:"compatible_models,omitempty"`
	Quantity         int       `json:"quantity"`
	Price            crm.Money `json:"price"`
}

// PartStore keeps the spare parts of the context's dealer.
type PartStore interface {
	Get(ctx context.Context, id crm.ID) (Part, error)
	Create(ctx context.Context, p *Part) error
	Update(ctx context.Context, p *Part) error
}

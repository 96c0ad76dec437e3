package httpapi

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// customerExists returns KindNotFound unless the customer is the context's dealer's.
func (h *Handler) customerExists(ctx context.Context, id crm.ID) error {
	if h.cfg.Kernel == nil {
		return crm.NotFound("httpapi", "customer %s not found", id)
	}
	return h.cfg.Kernel.View(ctx, func(ctx context.Context, s crm.Stores) error {
		_, err := s.Customers().Get(ctx, id)
		return err
	})
}

// vehicleExists returns KindNotFound unless the vehicle is the context's dealer's.
func (h *Handler) vehicleExists(ctx context.Context, id crm.ID) error {
	if h.cfg.Catalog == nil {
		return crm.NotFound("httpapi", "vehicle %s not found", id)
	}
	_, err := h.cfg.Catalog.GetVehicle(ctx, id)
	return err
}

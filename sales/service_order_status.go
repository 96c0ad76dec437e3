package sales

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// ConfirmOrder confirms the draft order read at expectedVersion and, in the same unit of work, takes its part and
// accessory lines (those naming a catalog part) from stock: all of them or none. Stock never goes negative; of two
// orders racing for the last unit exactly one is confirmed, the other gets catalog.ErrInsufficientStock naming the
// part (a conflict) and changes nothing. A line's quantity must be whole to leave stock (crm.KindInvalid naming
// "lines[i].quantity"). Errors as AddOrderLine, and ErrOrderStatus when the order is not a draft.
func (s *Service) ConfirmOrder(ctx context.Context, orderID crm.ID, expectedVersion int64) (Order, error) {
	out, err := s.moveOrder(ctx, orderID, expectedVersion, OrderConfirmed, func(ctx context.Context, st Stores, o Order) error {
		return moveStock(ctx, st, o, -1)
	})
	return out, wrap("sales.Service.ConfirmOrder", err)
}

// PayOrder records that the confirmed order read at expectedVersion is paid. ErrOrderStatus otherwise.
func (s *Service) PayOrder(ctx context.Context, orderID crm.ID, expectedVersion int64) (Order, error) {
	out, err := s.moveOrder(ctx, orderID, expectedVersion, OrderPaid, nil)
	return out, wrap("sales.Service.PayOrder", err)
}

// DeliverOrder records that the paid order read at expectedVersion is handed over (final). ErrOrderStatus otherwise.
func (s *Service) DeliverOrder(ctx context.Context, orderID crm.ID, expectedVersion int64) (Order, error) {
	out, err := s.moveOrder(ctx, orderID, expectedVersion, OrderDelivered, nil)
	return out, wrap("sales.Service.DeliverOrder", err)
}

// CancelOrder cancels the order read at expectedVersion (a draft, confirmed or paid one) and, when it had taken
// parts from stock, returns them in the same unit of work. ErrOrderStatus for a delivered or cancelled order.
func (s *Service) CancelOrder(ctx context.Context, orderID crm.ID, expectedVersion int64) (Order, error) {
	var held bool
	out, err := s.moveOrder(ctx, orderID, expectedVersion, OrderCancelled, func(ctx context.Context, st Stores, o Order) error {
		if !held {
			return nil
		}
		return moveStock(ctx, st, o, +1)
	}, func(o Order) { held = o.HoldsStock() })
	return out, wrap("sales.Service.CancelOrder", err)
}

// ListOrders returns one page of the dealer's orders matching q, newest first; pass the page's NextCursor as
// q.Cursor for the next. crm.KindInvalid naming "status", "limit" or "cursor".
func (s *Service) ListOrders(ctx context.Context, q OrderQuery) (OrderPage, error) {
	if err := q.Validate(); err != nil {
		return OrderPage{}, wrap("sales.Service.ListOrders", err)
	}
	q.Limit = crm.PageLimit(q.Limit)
	var out OrderPage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Orders().List(ctx, q)
		return err
	})
	return out, wrap("sales.Service.ListOrders", err)
}

// moveOrder loads the order, checks its version (0: unconditional), notes what it was (before, if given), moves it to next, runs
// effect on the moved order and saves it — one unit of work.
func (s *Service) moveOrder(ctx context.Context, orderID crm.ID, expectedVersion int64, next OrderStatus,
	effect func(context.Context, Stores, Order) error, before ...func(Order)) (Order, error) {
	var out Order
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		o, err := st.Orders().Get(ctx, orderID)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("sales.Service.moveOrder", o.Version, expectedVersion); err != nil {
			return err
		}
		for _, b := range before {
			b(o)
		}
		if err := o.MoveTo(next, crm.Now(ctx)); err != nil {
			return err
		}
		if effect != nil {
			if err := effect(ctx, st, o); err != nil {
				return err
			}
		}
		if err := st.Orders().Update(ctx, &o); err != nil {
			return err
		}
		out = o
		return nil
	})
	return out, err
}

// moveStock takes (sign −1) or returns (sign +1) the order's stock lines to their parts.
func moveStock(ctx context.Context, st Stores, o Order, sign int) error {
	for i, l := range o.Lines {
		if (l.Kind != LinePart && l.Kind != LineAccessory) || l.RefID == (crm.ID{}) {
			continue
		}
		if !l.Quantity.IsInteger() {
			return crm.Invalid("sales", crm.FieldError{Field: fmt.Sprintf("lines[%d].quantity", i),
				Message: "must be a whole number of parts to leave stock"})
		}
		p, err := st.Parts().Get(ctx, l.RefID)
		if errors.Is(err, crm.ErrNotFound) {
			return crm.Invalid("sales", crm.FieldError{Field: fmt.Sprintf("lines[%d].catalog_ref_id", i),
				Message: "names no part of the catalog"})
		}
		if err != nil {
			return err
		}
		if err := p.AdjustStock(sign * int(l.Quantity.IntPart())); err != nil {
			return err
		}
		p.UpdatedAt = o.UpdatedAt
		if err := st.Parts().Update(ctx, &p); err != nil {
			return err
		}
	}
	return nil
}

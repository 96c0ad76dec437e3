package sales

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// CreateOrder creates the (single) order of an open sale as a draft, in currency — by default the currency of the
// sale's amount, else the dealer's — numbered from the dealer's gap-free sequence of the year (FormatOrderNumber). It returns ErrOrderExists when the sale has one, ErrSaleClosed for a won or lost
// sale, crm.KindNotFound for an unknown sale, crm.KindInvalid naming "currency".
func (s *Service) CreateOrder(ctx context.Context, saleID crm.ID, currency crm.Currency) (Order, error) {
	var out Order
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealerID, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		sale, err := st.Sales().Get(ctx, saleID)
		if err != nil {
			return err
		}
		if sale.Closed() {
			return fmt.Errorf("sale %s is %s: %w", sale.ID, sale.Status, ErrSaleClosed)
		}
		if _, err := st.Orders().FindBySale(ctx, sale.ID); err == nil {
			return fmt.Errorf("sale %s: %w", sale.ID, ErrOrderExists)
		} else if !errors.Is(err, crm.ErrNotFound) {
			return err
		}
		if currency == "" {
			currency = sale.Amount.Currency
		}
		if currency == "" {
			d, err := st.Dealers().Get(ctx, dealerID)
			if err != nil {
				return err
			}
			currency = d.Currency
		}
		now := crm.Now(ctx)
		o, err := NewOrder(dealerID, sale.ID, currency, now)
		if err != nil {
			return err
		}
		year := now.UTC().Year()
		n, err := st.Orders().NextNumber(ctx, year)
		if err != nil {
			return err
		}
		o.Number = FormatOrderNumber(year, n)
		if err := st.Orders().Create(ctx, &o); err != nil {
			if errors.Is(err, crm.ErrConflict) {
				return fmt.Errorf("sale %s: %w", sale.ID, ErrOrderExists)
			}
			return err
		}
		out = o
		return nil
	})
	return out, wrap("sales.Service.CreateOrder", err)
}

// GetOrder returns an order with its lines; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetOrder(ctx context.Context, id crm.ID) (Order, error) {
	var out Order
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Orders().Get(ctx, id)
		return err
	})
	return out, wrap("sales.Service.GetOrder", err)
}

// GetSaleOrder returns the order of a sale; crm.KindNotFound if the sale has none.
func (s *Service) GetSaleOrder(ctx context.Context, saleID crm.ID) (Order, error) {
	var out Order
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Orders().FindBySale(ctx, saleID)
		return err
	})
	return out, wrap("sales.Service.GetSaleOrder", err)
}

// AddOrderLine prices a line (NewLine: prices include VAT, each line rounded to the minor unit) and adds it to the
// order read at expectedVersion. A vehicle line names the sale's vehicle — or, when the sale has none yet,
// chooses it: the vehicle is held for the sale (a sale reservation) in the same unit of work, and its
// description defaults to the vehicle's name. It returns the order and the new line; crm.KindInvalid naming the
// wrong fields ("catalog_ref_id" for an unknown vehicle or one other than the sale's, and for a reference
// that is not a catalog record of the dealer; see checkLineRef), crm.KindConflict naming
// "kind" for a second vehicle line, the vehicle's conflicts (catalog.ErrVehicleReserved, ...), ErrSaleClosed,
// crm.KindStaleVersion, crm.KindNotFound.
func (s *Service) AddOrderLine(ctx context.Context, orderID crm.ID, expectedVersion int64, in LineInput) (Order, Line, error) {
	var (
		out  Order
		line Line
	)
	err := s.orderChange(ctx, orderID, expectedVersion, func(ctx context.Context, st Stores, o *Order, sale *Sale) (saleChanged bool, err error) {
		if in.Kind == LineVehicle {
			if saleChanged, err = s.chooseVehicle(ctx, st, sale, &in); err != nil {
				return false, err
			}
		} else if err := checkLineRef(ctx, st, in); err != nil {
			return false, err
		}
		line, err = o.AddLine(in, crm.Now(ctx))
		return saleChanged, err
	}, &out)
	if err != nil {
		return Order{}, Line{}, wrap("sales.Service.AddOrderLine", err)
	}
	return out, line, nil
}

// UpdateOrderLine reprices line lineID of the order read at expectedVersion with in (Order.UpdateLine: a vehicle
// line keeps its vehicle). Errors as AddOrderLine, and crm.KindNotFound for an unknown line.
func (s *Service) UpdateOrderLine(ctx context.Context, orderID crm.ID, expectedVersion int64, lineID crm.ID, in LineInput) (Order, error) {
	var out Order
	err := s.orderChange(ctx, orderID, expectedVersion, func(ctx context.Context, st Stores, o *Order, sale *Sale) (bool, error) {
		if in.Kind != LineVehicle { // a vehicle line keeps its vehicle (Order.UpdateLine), checked when it was added
			if err := checkLineRef(ctx, st, in); err != nil {
				return false, err
			}
		}
		_, err := o.UpdateLine(lineID, in, crm.Now(ctx))
		return false, err
	}, &out)
	return out, wrap("sales.Service.UpdateOrderLine", err)
}

// RemoveOrderLine removes line lineID from the order read at expectedVersion. Removing the vehicle line releases
// the sale's hold on the vehicle and clears the sale's vehicle, so that another can be chosen. Errors as
// UpdateOrderLine.
func (s *Service) RemoveOrderLine(ctx context.Context, orderID crm.ID, expectedVersion int64, lineID crm.ID) (Order, error) {
	var out Order
	err := s.orderChange(ctx, orderID, expectedVersion, func(ctx context.Context, st Stores, o *Order, sale *Sale) (bool, error) {
		l, err := o.RemoveLine(lineID, crm.Now(ctx))
		if err != nil || l.Kind != LineVehicle || sale.VehicleID == (crm.ID{}) {
			return false, err
		}
		if err := s.release(ctx, st, *sale); err != nil {
			return false, err
		}
		sale.VehicleID = crm.ID{}
		return true, nil
	}, &out)
	return out, wrap("sales.Service.RemoveOrderLine", err)
}

// chooseVehicle checks a vehicle line against the sale, holds the vehicle for the sale and, when the sale had no
// vehicle, makes it the sale's (reporting that the sale changed).
func (s *Service) chooseVehicle(ctx context.Context, st Stores, sale *Sale, in *LineInput) (bool, error) {
	if in.RefID == (crm.ID{}) {
		return false, nil // NewLine names the missing reference
	}
	if sale.VehicleID != (crm.ID{}) && sale.VehicleID != in.RefID {
		return false, crm.Invalid("sales", crm.FieldError{Field: "catalog_ref_id",
			Message: fmt.Sprintf("the sale is for vehicle %s; remove its vehicle line first to choose another", sale.VehicleID)})
	}
	v, err := reference(ctx, "catalog_ref_id", in.RefID, st.Vehicles().Get)
	if err != nil {
		return false, err
	}
	if in.Description == "" {
		in.Description = v.Name()
	}
	chosen := sale.VehicleID == (crm.ID{})
	sale.VehicleID = in.RefID
	if err := s.hold(ctx, st, *sale); err != nil {
		return false, err
	}
	if chosen {
	}
	return chosen, nil
}

// checkLineRef refuses the catalog reference of a line other than a vehicle line unless it names a record of
// the context's dealer: a part for a part or an accessory line, a labour operation for a labour line, and any of a part,
// a labour operation or a vehicle for another line (crm.KindInvalid naming "catalog_ref_id"). No reference passes.
func checkLineRef(ctx context.Context, st Stores, in LineInput) error {
	if in.RefID == (crm.ID{}) {
		return nil
	}
	var lookups []func() error
	part := func() error { _, err := st.Parts().Get(ctx, in.RefID); return err }
	labour := func() error { _, err := st.Labours().Get(ctx, in.RefID); return err }
	vehicle := func() error { _, err := st.Vehicles().Get(ctx, in.RefID); return err }
	switch in.Kind {
	case LinePart, LineAccessory:
		lookups = append(lookups, part)
	case LineLabour:
		lookups = append(lookups, labour)
	case LineOther:
		lookups = append(lookups, part, labour, vehicle)
	default:
		return nil // NewLine names the unknown kind
	}
	for _, lookup := range lookups {
		if err := lookup(); !errors.Is(err, crm.ErrNotFound) {
			return err
		}
	}
	return crm.Invalid("sales", crm.FieldError{Field: "catalog_ref_id",
		Message: fmt.Sprintf("no such %s record %s in the catalog", in.Kind, in.RefID)})
}

// orderChange loads the order and its open sale, checks the order's version, applies fn and saves the order
// (and the sale when fn changed it).
func (s *Service) orderChange(ctx context.Context, orderID crm.ID, expectedVersion int64,
	fn func(context.Context, Stores, *Order, *Sale) (bool, error), out *Order) error {
	return s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		o, err := st.Orders().Get(ctx, orderID)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("order", o.Version, expectedVersion); err != nil {
			return err
		}
		sale, err := st.Sales().Get(ctx, o.SaleID)
		if err != nil {
			return err
		}
		if sale.Closed() {
			return fmt.Errorf("sale %s is %s: %w", sale.ID, sale.Status, ErrSaleClosed)
		}
		saleChanged, err := fn(ctx, st, &o, &sale)
		if err != nil {
			return err
		}
		if saleChanged {
			if err := st.Sales().Update(ctx, &sale); err != nil {
				return err
			}
		}
		if err := st.Orders().Update(ctx, &o); err != nil {
			return err
		}
		*out = o
		return nil
	})
}

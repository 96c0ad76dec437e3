package sales

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// WinSources is what winning a sale reads before it writes: the sale, its order with its lines, its customer and
// vehicle, the vehicle's booked test drives with who booked them (to cancel them and tell the drivers), and the
// customer vehicle the dealer already keeps for the vehicle's VIN. A customer or vehicle the sale names but the
// dealer does not have is left zero (its ID zero), and so are the drives and the known VIN without a vehicle.
type WinSources struct {
	Sale     Sale
	Order    Order // zero when the sale has no order (HasOrder false)
	HasOrder bool
	Customer crm.Customer
	Vehicle  catalog.Vehicle // as catalog.VehicleStore.GetForReserve reads it (its sale holds: all Sell looks at)
	Drives   leads.BookedDrives
	Known    aftersales.KnownVIN
}

// WinReader is an optional capability of a Stores bundle: reading a sale's WinSources at once (the PostgreSQL
// adapter's is one statement, so one round trip). WinSale asks for it with a type assertion and reads store by
// store when the bundle lacks it; both must give the same WinSources.
type WinReader interface {
	// ReadWin reads the sale's WinSources, locking the sale, its order, its customer and its vehicle in a
	// read-write unit of work as their stores' Get does. Returns KindNotFound when the dealer has no such sale.
	ReadWin(ctx context.Context, saleID crm.ID) (WinSources, error)
}

// ReadWinSources reads the sale's WinSources through st's WinReader when it has one, else store by store. It is
// what WinSale reads; the contract suite compares the two ways.
func ReadWinSources(ctx context.Context, st Stores, saleID crm.ID) (WinSources, error) {
	if r, ok := st.(WinReader); ok {
		return r.ReadWin(ctx, saleID)
	}
	return readWinByStore(ctx, st, saleID)
}

// readWinByStore reads the sale's WinSources one store at a time.
func readWinByStore(ctx context.Context, st Stores, saleID crm.ID) (WinSources, error) {
	absent := func(err error) error {
		if errors.Is(err, crm.ErrNotFound) {
			return nil
		}
		return err
	}
	var src WinSources
	var err error
	if src.Sale, err = st.Sales().Get(ctx, saleID); err != nil {
		return WinSources{}, err
	}
	src.Order, err = st.Orders().FindBySale(ctx, saleID)
	if src.HasOrder = err == nil; !src.HasOrder {
		src.Order = Order{}
		if absent(err) != nil {
			return WinSources{}, err
		}
	}
	if src.Customer, err = st.Customers().Get(ctx, src.Sale.CustomerID); absent(err) != nil {
		return WinSources{}, err
	}
	if src.Sale.VehicleID == (crm.ID{}) {
		return src, nil
	}
	if src.Vehicle, err = st.Vehicles().GetForReserve(ctx, src.Sale.VehicleID); absent(err) != nil {
		return WinSources{}, err
	}
	if src.Vehicle.ID == (crm.ID{}) {
		return src, nil
	}
	if src.Drives, err = leads.ReadBookedDrives(ctx, st, src.Vehicle.ID); err != nil {
		return WinSources{}, err
	}
	if src.Known, err = aftersales.FindKnownVIN(ctx, st, src.Vehicle.VIN); err != nil {
		return WinSources{}, err
	}
	return src, nil
}

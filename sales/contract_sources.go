package sales

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// ContractSources is what a sale's contract is formed from, as stored: the sale, the dealer, the customer, the
// vehicle and the order with its lines, and the sale's documents (to find a contract already formed).
type ContractSources struct {
	Sale      Sale
	Dealer    crm.Dealer
	Customer  crm.Customer
	Vehicle   catalog.Vehicle
	Order     Order // zero when the sale has no order (HasOrder false)
	HasOrder  bool
	Documents []crm.Document // the sale's documents, newest first (as crm.DocumentStore.ListBySubject)
}

// ContractSourcesReader is an optional capability of a Stores bundle: reading a sale's ContractSources at once (the
// PostgreSQL adapter's is one joined statement, so one round trip and one snapshot). The service asks for it with
// a type assertion and reads the records one by one from the stores when the bundle lacks it.
type ContractSourcesReader interface {
	// ContractSources reads the sale's sources. Returns KindNotFound when the dealer has no such sale; a customer
	// or vehicle the sale names but the dealer does not have is left zero (ID zero), the caller decides.
	ContractSources(ctx context.Context, saleID crm.ID) (ContractSources, error)
}

// contractSources reads the sale's sources through st's ContractSourcesReader when it has one, else store by
// store; documents are read only when withDocuments. A missing customer or vehicle is KindInternal (the sale
// names them); a lost sale and a sale without a vehicle are refused before the others are read.
func contractSources(ctx context.Context, st Stores, saleID crm.ID, withDocuments bool) (ContractSources, error) {
	if r, ok := st.(ContractSourcesReader); ok {
		src, err := r.ContractSources(ctx, saleID)
		if err != nil {
			return ContractSources{}, err
		}
		if err := contractableSale(src.Sale); err != nil {
			return ContractSources{}, err
		}
		if src.Customer.ID == (crm.ID{}) {
			return ContractSources{}, internalIfMissing(crm.NotFound("sales.Service.BuildSaleContract", "customer %s not found", src.Sale.CustomerID))
		}
		if src.Vehicle.ID == (crm.ID{}) {
			return ContractSources{}, internalIfMissing(crm.NotFound("sales.Service.BuildSaleContract", "vehicle %s not found", src.Sale.VehicleID))
		}
		return src, nil
	}
	var src ContractSources
	var err error
	if src.Sale, err = st.Sales().Get(ctx, saleID); err != nil {
		return ContractSources{}, err
	}
	if err := contractableSale(src.Sale); err != nil {
		return ContractSources{}, err
	}
	dealerID, err := crm.DealerFrom(ctx)
	if err != nil {
		return ContractSources{}, err
	}
	if src.Dealer, err = st.Dealers().Get(ctx, dealerID); err != nil {
		return ContractSources{}, err
	}
	if src.Customer, err = st.Customers().Get(ctx, src.Sale.CustomerID); err != nil {
		return ContractSources{}, internalIfMissing(err)
	}
	if src.Vehicle, err = st.Vehicles().Get(ctx, src.Sale.VehicleID); err != nil {
		return ContractSources{}, internalIfMissing(err)
	}
	src.Order, err = st.Orders().FindBySale(ctx, src.Sale.ID)
	src.HasOrder = err == nil
	if err != nil && !errors.Is(err, crm.ErrNotFound) {
		return ContractSources{}, err
	}
	if !src.HasOrder {
		src.Order = Order{}
	}
	if withDocuments {
		if src.Documents, err = st.Documents().ListBySubject(ctx, saleID); err != nil {
			return ContractSources{}, err
		}
	}
	return src, nil
}

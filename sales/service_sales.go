package sales

import (
	"context"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// OpenSaleInput opens a sale directly (not from a lead).
type OpenSaleInput struct {
	CustomerID         crm.ID                   `json:"customer_id"`         // required; an existing customer
	VehicleID          crm.ID                   `json:"vehicle_id,omitzero"` // optional; held for the sale
	OwnerID            crm.ID                   `json:"owner_id,omitzero"`   // default: the acting user
	StageID            crm.ID                   `json:"stage_id,omitzero"`   // an open stage; default: the first
	Amount             crm.Money                `json:"amount"`              // default: the vehicle's list price less its discount
	PaymentMethod      PaymentMethod            `json:"payment_method,omitempty"`
	Insurance          catalog.VehicleInsurance `json:"insurance"`
	ServiceContract    bool                     `json:"service_contract"`
	TradeInAppraisalID crm.ID                   `json:"trade_in_appraisal_id,omitzero"`
	ExternalID         string                   `json:"external_id,omitempty"`   // the sale's ID in the embedder's system
	ExpectedClose      time.Time                `json:"expected_close,omitzero"` // the day it is expected to close (a date; optional)
}

// ConvertInput says how a lead becomes a sale. Every field is optional.
type ConvertInput struct {
	// VehicleID names the vehicle to sell; default: the lead's chosen vehicle (Interest.VehicleID), else the
	// vehicle of its latest booked or completed test drive; none at all is allowed (chosen later by the order's
	// vehicle line).
	VehicleID     crm.ID        `json:"vehicle_id,omitzero"`
	OwnerID       crm.ID        `json:"owner_id,omitzero"` // default: the lead's owner, else the acting user
	StageID       crm.ID        `json:"stage_id,omitzero"` // an open stage; default: the first
	Amount        crm.Money     `json:"amount"`            // default: the vehicle's list price less its discount
	PaymentMethod PaymentMethod `json:"payment_method,omitempty"`
	ExternalID    string        `json:"external_id,omitempty"` // the sale's ID in the embedder's system
}

// OpenSale opens a sale for an existing customer at an open stage (default the first), with probability the
// stage's maximum, and holds its vehicle (if any) for it — all in one unit of work. It returns crm.KindInvalid
// naming the wrong fields ("customer_id", "vehicle_id" and "owner_id" also when no such record exists, "stage_id" for an
// unknown or closed stage), ErrNoStage when the directory has no open stage, and the vehicle's conflicts
// (catalog.ErrVehicleReserved, catalog.ErrVehicleSold, catalog.ErrVehicleUnavailable).
func (s *Service) OpenSale(ctx context.Context, in OpenSaleInput) (Sale, error) {
	var out Sale
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		if in.CustomerID == (crm.ID{}) {
			return crm.Invalid("sales", crm.FieldError{Field: "customer_id", Message: "is required"})
		}
		if _, err := reference(ctx, "customer_id", in.CustomerID, st.Customers().Get); err != nil {
			return err
		}
		draft := Sale{CustomerID: in.CustomerID, VehicleID: in.VehicleID, OwnerID: in.OwnerID, Amount: in.Amount,
			PaymentMethod: in.PaymentMethod, Insurance: in.Insurance, ServiceContract: in.ServiceContract,
			TradeInAppraisalID: in.TradeInAppraisalID, ExternalID: in.ExternalID, ExpectedClose: in.ExpectedClose}
		if err := checkOwner(ctx, st, in.OwnerID); err != nil {
			return err
		}
		if draft.OwnerID == (crm.ID{}) {
			draft.OwnerID = crm.ActorFrom(ctx)
		}
		sale, err := s.open(ctx, st, draft, in.StageID)
		out = sale
		return err
	})
	return out, wrap("sales.Service.OpenSale", err)
}

// ConvertLead turns an open lead into a sale in one unit of work: it links the lead's customer (or creates one
// from the lead's contact), picks the vehicle (see ConvertInput), opens the sale at an open stage with the
// stage's maximum probability, holds the vehicle for the sale (a sale reservation held by the lead, the sale and
// the customer, so the lead's own test-drive hold is no obstacle) and marks the lead converted (Lead.Convert).
// The lead must be at expectedVersion (0: unconditional). It returns crm.KindNotFound for an unknown lead,
// crm.KindStaleVersion, leads.ErrLeadClosed for a converted or disqualified lead, crm.KindInvalid naming the
// wrong fields, ErrNoStage, and the vehicle's conflicts as OpenSale does.
func (s *Service) ConvertLead(ctx context.Context, leadID crm.ID, expectedVersion int64, in ConvertInput) (Sale, error) {
	var out Sale
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		lead, err := st.Leads().Get(ctx, leadID)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("lead", lead.Version, expectedVersion); err != nil {
			return err
		}
		if !lead.IsOpen() {
			return fmt.Errorf("lead %s is %s: %w", lead.ID, lead.Stage, leads.ErrLeadClosed)
		}
		if err := checkOwner(ctx, st, in.OwnerID); err != nil {
			return err
		}
		// From here on the writes (the customer made from the lead's contact, the car's hold, the sale and its
		// playbook steps, the lead) are held and sent together when the batch ends (one statement on PostgreSQL);
		// none is read back by what follows it — the reads among them (the lead's drives, its open steps, the
		// car) go out as they come.
		return crm.Batch(ctx, st, func(ctx context.Context) error {
			sale, err := s.convert(ctx, st, lead, in)
			out = sale
			return err
		})
	})
	return out, wrap("sales.Service.ConvertLead", err)
}

// convert makes a sale of open lead in ConvertLead's unit of work: the customer (linked or made from the lead's
// contact), the vehicle, the sale at its stage holding the car, and the lead marked converted.
func (s *Service) convert(ctx context.Context, st Stores, lead leads.Lead, in ConvertInput) (Sale, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return Sale{}, err
	}
	now, by := crm.Now(ctx), crm.ActorFrom(ctx)
	var customer crm.Customer
	if lead.CustomerID != (crm.ID{}) {
		if customer, err = st.Customers().Get(ctx, lead.CustomerID); err != nil {
			return Sale{}, err
		}
	} else {
		if customer, err = crm.NewCustomer(dealer, crm.Customer{Contact: lead.Contact}, now); err != nil {
			var p crm.Problems
			p.Merge("lead.contact.", err)
			return Sale{}, p.Err("sales")
		}
		if err := st.Customers().Create(ctx, &customer); err != nil {
			return Sale{}, err
		}
	}
	vehicleID := in.VehicleID
	if vehicleID == (crm.ID{}) {
		if vehicleID, err = leadVehicle(ctx, st, lead); err != nil {
			return Sale{}, err
		}
	}
	draft := Sale{CustomerID: customer.ID, VehicleID: vehicleID, OwnerID: in.OwnerID, LeadID: lead.ID,
		Amount: in.Amount, PaymentMethod: in.PaymentMethod, ExternalID: in.ExternalID}
	if draft.OwnerID == (crm.ID{}) {
		draft.OwnerID = lead.OwnerID
	}
	if draft.OwnerID == (crm.ID{}) {
		draft.OwnerID = by
	}
	if err := leaveLeadForSale(ctx, st, lead); err != nil {
		return Sale{}, err
	}
	sale, err := s.open(ctx, st, draft, in.StageID)
	if err != nil {
		return Sale{}, err
	}
	if err := lead.Convert(sale.ID, customer.ID, by, now); err != nil {
		return Sale{}, err
	}
	if err := st.Leads().Update(ctx, &lead); err != nil {
		return Sale{}, err
	}
	return sale, nil
}

// leadVehicle is the vehicle a lead is about: its chosen vehicle, else that of its latest booked or completed
// test drive, else none.
func leadVehicle(ctx context.Context, st Stores, lead leads.Lead) (crm.ID, error) {
	if lead.Interest.VehicleID != (crm.ID{}) {
		return lead.Interest.VehicleID, nil
	}
	drives, err := st.TestDrives().ListByLead(ctx, lead.ID)
	if err != nil {
		return crm.ID{}, err
	}
	for i := len(drives) - 1; i >= 0; i-- { // ordered by start: the latest first
		if d := drives[i]; d.Status == leads.TestDriveBooked || d.Status == leads.TestDriveCompleted {
			return d.VehicleID, nil
		}
	}
	return crm.ID{}, nil
}

// open builds the sale from draft at stageID (default: the first open stage), holds its vehicle and saves both.
func (s *Service) open(ctx context.Context, st Stores, draft Sale, stageID crm.ID) (Sale, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return Sale{}, err
	}
	now := crm.Now(ctx)
	p, err := pipeline(ctx, st)
	if err != nil {
		return Sale{}, err
	}
	var stage Stage
	if stageID == (crm.ID{}) {
		var ok bool
		if stage, ok = p.First(); !ok {
			return Sale{}, fmt.Errorf("no open stage: %w", ErrNoStage)
		}
	} else if stage, _ = p.Stage(stageID); stage.ID == (crm.ID{}) {
		return Sale{}, crm.Invalid("sales", crm.FieldError{Field: "stage_id", Message: "no such stage"})
	}
	var vehicle catalog.Vehicle
	if draft.VehicleID != (crm.ID{}) {
		// the car with its sale holds only (all Reserve looks at): opening a sale on a car booked for many test
		// drives reads none of their holds
		if vehicle, err = reference(ctx, "vehicle_id", draft.VehicleID, st.Vehicles().GetForReserve); err != nil {
			return Sale{}, err
		}
		if draft.Amount.IsZero() && draft.Amount.Currency == "" {
			if price, err := vehicle.Finance.ListPrice.Sub(vehicle.Finance.Discount); err == nil && !price.IsNegative() {
				draft.Amount = price
			}
		}
		if err := checkAmountCurrency(draft.Amount, vehicle); err != nil {
			return Sale{}, err
		}
	}
	sale, err := NewSale(dealer, draft, stage, crm.ActorFrom(ctx), now)
	if err != nil {
		return Sale{}, err
	}
	if sale.VehicleID != (crm.ID{}) {
		if err := vehicle.Reserve(sale.Reservation(now), now); err != nil {
			return Sale{}, err
		}
		if err := st.Vehicles().Update(ctx, &vehicle); err != nil {
			return Sale{}, err
		}
	}
	if id := sale.TradeInAppraisalID; id != (crm.ID{}) {
		sale.TradeInAppraisalID = crm.ID{}
		if err := linkTradeIn(ctx, st, &sale, sale.Amount.Currency, id); err != nil {
			return Sale{}, err
		}
	}
	if err := st.Sales().Create(ctx, &sale); err != nil {
		return Sale{}, err
	}
	sub := sale.Subject()
	sub.Created = true // a new sale has no task yet
	if err := st.Playbook().EnterStage(ctx, sub); err != nil {
		return Sale{}, err
	}
	return sale, nil
}

// GetSale returns a sale; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetSale(ctx context.Context, id crm.ID) (Sale, error) {
	var out Sale
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Sales().Get(ctx, id)
		return err
	})
	return out, wrap("sales.Service.GetSale", err)
}

// ListSales returns one page of the dealer's sales matching q (filters by status, stage, owner, customer and
// vehicle), newest first, with the cursor of the next page; crm.KindInvalid naming "status", "limit" or "cursor".
func (s *Service) ListSales(ctx context.Context, q SaleQuery) (SalePage, error) {
	if err := q.Validate(); err != nil {
		return SalePage{}, wrap("sales.Service.ListSales", err)
	}
	var out SalePage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Sales().List(ctx, q)
		return err
	})
	return out, wrap("sales.Service.ListSales", err)
}

// applyChanges edits the sale's facts (Sale.Apply) after checking that a new owner is a user of the dealer.
func applyChanges(ctx context.Context, st Stores, sale *Sale, c Changes, now time.Time) error {
	if c.OwnerID != nil && *c.OwnerID != sale.OwnerID {
		if err := checkOwner(ctx, st, *c.OwnerID); err != nil {
			return err
		}
	}
	if err := checkChangedAmount(ctx, st, *sale, c.Amount); err != nil {
		return err
	}
	if c.CreditApplicationID != nil {
		if err := checkCreditLink(ctx, st, *sale, *c.CreditApplicationID); err != nil {
			return err
		}
	}
	if c.TradeInAppraisalID != nil && !sale.Closed() {
		currency := sale.Amount.Currency
		if c.Amount != nil {
			currency = c.Amount.Currency
		}
		if err := linkTradeIn(ctx, st, sale, currency, *c.TradeInAppraisalID); err != nil {
			return err
		}
	}
	return sale.Apply(c, now)
}

// change loads the sale and the pipeline, checks the version, applies fn and saves the sale.
func (s *Service) change(ctx context.Context, id crm.ID, expectedVersion int64, fn func(context.Context, Stores, *Sale, Pipeline) error) (Sale, error) {
	var out Sale
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		sale, err := st.Sales().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("sale", sale.Version, expectedVersion); err != nil {
			return err
		}
		p, err := pipeline(ctx, st)
		if err != nil {
			return err
		}
		if err := fn(ctx, st, &sale, p); err != nil {
			return err
		}
		if err := st.Sales().Update(ctx, &sale); err != nil {
			return err
		}
		out = sale
		return nil
	})
	return out, err
}

// hold reserves the sale's vehicle for it, unless the sale already holds it.
func (s *Service) hold(ctx context.Context, st Stores, sale Sale) error {
	v, err := st.Vehicles().GetForReserve(ctx, sale.VehicleID) // the sale's own hold is an exclusive one
	if err != nil {
		return err
	}
	now := crm.Now(ctx)
	for _, r := range v.ActiveReservations(now) {
		if r.RefID == sale.ID {
			return nil
		}
	}
	if err := v.Reserve(sale.Reservation(now), now); err != nil {
		return err
	}
	return st.Vehicles().Update(ctx, &v)
}

// GetSaleByExternalID returns the sale with the embedder's external ID; crm.KindNotFound if there is none.
func (s *Service) GetSaleByExternalID(ctx context.Context, externalID string) (Sale, error) {
	var out Sale
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Sales().GetByExternalID(ctx, externalID)
		return err
	})
	return out, wrap("sales.Service.GetSaleByExternalID", err)
}

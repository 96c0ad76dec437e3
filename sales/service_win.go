package sales

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// WinInput carries the final facts of a won sale. When Insurer or PolicyNumber is given, the insurance replaces
// the sale's; otherwise the sale keeps the insurance it has. ServiceContract true marks the service contract
// bought (a sale that already has it keeps it).
type WinInput struct {
	Insurer         string    `json:"insurer,omitempty"`
	PolicyNumber    string    `json:"policy_number,omitempty"`
	InsuranceFrom   time.Time `json:"insurance_from,omitzero"`
	InsuranceTo     time.Time `json:"insurance_to,omitzero"`
	ServiceContract bool      `json:"service_contract"`
}

// TopicSaleWon is the outbox topic of the notice queued to the customer when a sale is won.
const TopicSaleWon = "sale.won"

// WinSale closes the sale read at expectedVersion as won, in one unit of work — all of it or none of it:
//   - the vehicle becomes sold (catalog.Vehicle.Sell), which drops its other reservations, and records the
//     insurance when there is one;
//   - its booked test drives that have not started — other prospects' and the buyer's own — are cancelled and
//     each driver is sent a "test_drive.cancelled" notice (leads.CancelDrivesForSale);
//   - the sale moves to the won stage with probability 100 (Sale.Win);
//   - an aftersales customer vehicle is created: customer, vehicle, VIN, make, model, trim, year, sale, sale
//     date, insurance, service contract, selling dealer, odometer at sale — with the model's maintenance plan
//     attached and, when the model has manufacturer warranty terms, a manufacturer warranty from the sale date
//     (aftersales.RecordSoldVehicle);
//   - a TopicSaleWon notice to the customer is queued.
//
// Of two sales winning one vehicle at once exactly one succeeds; the other gets catalog.ErrVehicleSold (or,
// should it ever get that far, a crm.KindConflict from the one-won-sale-per-vehicle rule of the store).
// Winning leaves the sale's stage forward: it is refused (a conflict with code playbook_step_open naming the step)
// while a required playbook step of the stage is open; losing cancels the sale's open steps.
// It returns crm.KindStaleVersion, crm.KindNotFound, crm.KindInvalid naming "vehicle_id" (the sale has none),
// "insurer" or "insurance_to", "amount", "order.lines" or "order.lines[i].unit_price" (no price: CheckPrice), "payment_method", "credit_application_id"
// or "trade_in_appraisal_id" (payment terms no contract could state: checkPaymentTerms), ErrSaleClosed, ErrNoStage, and the vehicle's conflicts (catalog.ErrVehicleSold,
// catalog.ErrVehicleReserved when another sale holds it, catalog.ErrVehicleUnavailable).
func (s *Service) WinSale(ctx context.Context, saleID crm.ID, expectedVersion int64, in WinInput) (Sale, aftersales.CustomerVehicle, error) {
	var (
		outSale Sale
		outCV   aftersales.CustomerVehicle
	)
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		now, by := crm.Now(ctx), crm.ActorFrom(ctx)
		// everything the win reads, at once where the stores can (WinReader: one statement on PostgreSQL)
		src, err := ReadWinSources(ctx, st, saleID)
		if err != nil {
			return err
		}
		sale := src.Sale
		if err := crm.CheckVersion("sale", sale.Version, expectedVersion); err != nil {
			return err
		}
		if err := applyWinInput(&sale, in); err != nil {
			return err
		}
		p, err := pipeline(ctx, st)
		if err != nil {
			return err
		}
		before := sale
		if err := sale.Win(p, by, now); err != nil {
			return err
		}
		var order *Order
		if src.HasOrder {
			order = &src.Order
		}
		if err := CheckPrice(sale, order); err != nil {
			return err
		}
		// after the price: a sale without one is told so, not that its contract (which cannot be formed without
		// a price) is missing
		won, _ := p.Won()
		if err := leaveSaleStage(ctx, st, p, before, won); err != nil {
			return err
		}
		if err := checkPaymentTerms(ctx, st, sale, order); err != nil {
			return err
		}
		customer, vehicle := src.Customer, src.Vehicle
		if customer.ID == (crm.ID{}) {
			return crm.NotFound("sales.Service.WinSale", "customer %s not found", sale.CustomerID)
		}
		if vehicle.ID == (crm.ID{}) {
			return crm.NotFound("sales.Service.WinSale", "vehicle %s not found", sale.VehicleID)
		}
		if err := vehicle.Sell(sale.Holder(), sale.ID, now); err != nil {
			return err
		}
		if sale.Insurance.Insurer != "" {
			vehicle.Insurance = sale.Insurance
		}
		vehicle.UpdatedAt = now
		// From here on the unit writes: the car, the drives cancelled and their notices, the customer vehicle
		// (and its warranty), the sale and its notice. None reads what another wrote, so they are sent together
		// when the batch ends (one statement on PostgreSQL); the reads among them (the directory's plan and terms,
		// the warranties of a customer vehicle known by the VIN) go out as they come.
		var cv aftersales.CustomerVehicle
		if err := crm.Batch(ctx, st, func(ctx context.Context) error {
			if err := st.Vehicles().Update(ctx, &vehicle); err != nil {
				return err
			}
			if _, err := leads.CancelDrivesForSale(ctx, st, vehicle, src.Drives, nil, now); err != nil {
				return err
			}
			var err error
			cv, err = aftersales.NewCustomerVehicle(dealer, aftersales.CustomerVehicle{
				CustomerID: customer.ID, VehicleID: vehicle.ID, VIN: vehicle.VIN, Make: vehicle.Make, Model: vehicle.Model,
				Trim: vehicle.Trim, Year: vehicle.Year, SaleID: sale.ID, SoldAt: now, Insurance: sale.Insurance,
				ServiceContract: sale.ServiceContract, SellingDealerID: dealer, OdometerAtSale: vehicle.Mileage,
			}, now)
			if err != nil {
				return err
			}
			if cv, _, err = aftersales.RecordSoldVehicle(ctx, st, cv, src.Known); err != nil {
				return err
			}
			if err := st.Sales().Update(ctx, &sale); err != nil {
				return err
			}
			return st.Outbox().Enqueue(ctx, wonNotice(customer, vehicle, sale, cv, now))
		}); err != nil {
			return err
		}
		outSale, outCV = sale, cv
		return nil
	})
	if err != nil {
		return Sale{}, aftersales.CustomerVehicle{}, wrap("sales.Service.WinSale", err)
	}
	return outSale, outCV, nil
}

func applyWinInput(sale *Sale, in WinInput) error {
	var p crm.Problems
	in.Insurer, in.PolicyNumber = strings.TrimSpace(in.Insurer), strings.TrimSpace(in.PolicyNumber)
	if in.PolicyNumber != "" && in.Insurer == "" {
		p.Add("insurer", "is required with a policy number")
	}
	if !in.InsuranceFrom.IsZero() && !in.InsuranceTo.IsZero() && !in.InsuranceTo.After(in.InsuranceFrom) {
		p.Add("insurance_to", "must be after insurance_from")
	}
	if err := p.Err("sales.Service.WinSale"); err != nil {
		return err
	}
	if in.Insurer != "" || in.PolicyNumber != "" {
		sale.Insurance = catalog.VehicleInsurance{Insurer: in.Insurer, PolicyNumber: in.PolicyNumber,
			ValidFrom: utc(in.InsuranceFrom), ValidTo: utc(in.InsuranceTo)}
	}
	sale.ServiceContract = sale.ServiceContract || in.ServiceContract
	return nil
}

func wonNotice(c crm.Customer, v catalog.Vehicle, sale Sale, cv aftersales.CustomerVehicle, now time.Time) *crm.Message {
	recipient := ""
	if len(c.Emails) > 0 {
		recipient = c.Emails[0]
	} else if len(c.Phones) > 0 {
		recipient = c.Phones[0]
	}
	return &crm.Message{
		Topic:     TopicSaleWon,
		Recipient: recipient,
		Subject:   "Поздравляем с покупкой: " + v.Name(),
		Body: fmt.Sprintf("%s, поздравляем с покупкой автомобиля %s (VIN %s). Спасибо, что выбрали нас!",
			c.FullName(), v.Name(), v.VIN),
		Data: map[string]string{"sale_id": sale.ID.String(), "vehicle_id": v.ID.String(), "vehicle": v.Name(),
			"customer_id": c.ID.String(), "customer_vehicle_id": cv.ID.String(), "vin": string(v.VIN)},
		CreatedAt: now,
	}
}

// LoseSale closes the open sale read at expectedVersion as lost for a reason (required: crm.KindInvalid naming
// "reason"), in one unit of work: the sale moves to the lost stage with probability 0 and its hold on the vehicle
// is released (the vehicle is back in stock unless a booked test drive or another sale holds it; test-drive
// reservations stay). It returns crm.KindStaleVersion, crm.KindNotFound, ErrSaleClosed, ErrNoStage.
func (s *Service) LoseSale(ctx context.Context, saleID crm.ID, expectedVersion int64, reason string) (Sale, error) {
	out, err := s.change(ctx, saleID, expectedVersion, func(ctx context.Context, st Stores, sale *Sale, p Pipeline) error {
		now := crm.Now(ctx)
		before := *sale
		if err := sale.Lose(p, reason, crm.ActorFrom(ctx), now); err != nil {
			return err
		}
		lost, _ := p.Lost()
		if err := leaveSaleStage(ctx, st, p, before, lost); err != nil {
			return err
		}
		if err := releaseTradeIn(ctx, st, sale); err != nil { // a lost sale gives its trade-in back
			return err
		}
		if sale.VehicleID == (crm.ID{}) {
			return nil
		}
		return s.release(ctx, st, *sale)
	})
	return out, wrap("sales.Service.LoseSale", err)
}

// release drops the sale's hold on its vehicle (and test-drive holds of drives no longer booked).
func (s *Service) release(ctx context.Context, st Stores, sale Sale) error {
	v, err := st.Vehicles().Get(ctx, sale.VehicleID)
	if err != nil {
		return err
	}
	if v.Status == catalog.StatusSold {
		return nil
	}
	now := crm.Now(ctx)
	if err := leads.ReleaseIfFree(ctx, st.TestDrives(), &v, sale.ID, now); err != nil {
		return err
	}
	v.UpdatedAt = now.UTC()
	return st.Vehicles().Update(ctx, &v)
}

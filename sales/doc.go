// Package sales is the deal side of the dealership: the sales-stage directory and the probability that follows
// it, sales (opportunities) converted from leads or opened directly, their order with priced lines, winning and
// losing, and the purchase contract built from a won sale.
//
// # Stages
//
// Each dealer has an ordered directory of stages (Стадии продажи). A stage has a code, a name, an order number
// unique per dealer (Порядковый номер) and a maximum probability in integer percent (Максимальная вероятность),
// and is of kind open, won or lost. A dealer gets these defaults when it is added (SeedStages, run by
// stack.AddDealer and by the PostgreSQL migration step; nothing seeds on use). SeedStages creates them only when
// the directory is empty, so it is idempotent:
//
//	order  code               name               max. probability  kind
//	1      new                New                10 %              open
//	2      needs_discovery    Needs discovery    20 %              open
//	3      vehicle_selection  Vehicle selection  30 %              open
//	4      test_drive         Test drive         40 %              open
//	5      proposal           Proposal           60 %              open
//	6      negotiation        Negotiation        75 %              open
//	7      contract           Contract           90 %              open
//	8      won                Won                100 %             won
//	9      lost               Lost               0 %               lost
//
// The directory is validated as a whole (Pipeline.Validate): codes and order numbers are unique; there is at most
// one won stage (its maximum is 100) and one lost stage (0); and the maximum probability of open stages never
// decreases as the order number grows. Codes and kinds never change once created.
//
// # Probability and the walk rules
//
// Service.EditSale is the one way to change an open sale (a stage move, a probability and facts, together in one
// unit of work). Moving a sale to a stage sets its probability to that stage's maximum. The manager may then lower
// it (or raise it back), never above the stage's maximum (Sale.SetProbability). A sale walks the open stages by
// order number (Sale.MoveTo):
//
//   - forward to the next open stage is allowed;
//   - forward over several stages is allowed too, and each stage jumped over is recorded in the history as a
//     skipped entry with its own maximum probability, so the history reads as a complete walk;
//   - back to an earlier open stage is allowed with a reason only;
//   - won and lost are reached only through Service.WinSale and Service.LoseSale, never by a stage move;
//   - a won sale is final; a lost sale may be reopened to any open stage with a reason (its vehicle is then held
//     for it again, if it still can be).
//
// Every change — stage moves, skipped stages, probability changes, winning, losing, reopening — is appended to the
// sale's history: who, when, from which stage to which, the probability and the reason.
//
// # Sales
//
// A sale has a customer, optionally a vehicle (held for it by a catalog reservation for sale whose RefID is the
// sale, held jointly by the sale, its customer and its lead), an owner, an expected amount, a stage, a
// probability, and the facts of the deal: insurance (insurer, policy number, period), a service contract flag, a
// payment method (cash, credit, trade_in, mixed), the ID of a trade-in appraisal, and its credit: a link to an
// approved or issued credit application of package credit (Sale.CreditApplicationID, checked by EditSale through
// the CreditLinkStore port: the dealer's, this sale's, approved or issued), whose bank, amount and term the
// purchase contract states. Service.ConvertLead turns an open lead into a sale in one unit of work (customer
// from the lead's contact or its linked customer, vehicle from the lead's chosen vehicle or its latest booked or
// completed test drive, the vehicle held for the sale, the lead marked converted); Service.OpenSale opens one for
// an existing customer.
//
// # Orders
//
// A sale has at most one order (Заказ) — create it with Service.CreateOrder and edit its lines; a second order for
// the same sale is refused with ErrOrderExists. An order is in one currency. Its lines are of kind vehicle,
// accessory, part, service or other, with a description, a catalog reference, a decimal quantity, a unit price,
// a discount amount and a VAT rate (a fraction: 0.20 is 20 %).
//
// Prices and discounts include VAT (as the catalog's list prices do). Each line is computed exactly and rounded
// once, half away from zero, to the currency's minor unit:
//
//	gross = round(quantity × unit price − discount)
//	VAT   = round(gross × rate / (1 + rate))
//	net   = gross − VAT
//
// so 4.5 l of oil at 899.99 RUB with 20 % VAT is gross 4049.96 (from 4049.955), VAT 674.99, net 3374.97. Order
// totals are the sums of the line figures and are never rounded again; net + VAT = gross holds for every line and
// for the order.
//
// The order's vehicle line is the sale's vehicle: adding it holds the vehicle for the sale (and, when the sale
// had no vehicle yet, makes it the sale's); removing it releases the vehicle and clears the sale's vehicle. An
// order holds at most one vehicle line, of quantity 1.
//
// # Winning and losing
//
// Service.WinSale does everything in one unit of work, or nothing: the vehicle becomes sold (its other reservations
// are dropped), the vehicle's booked test drives that have not started are cancelled, the sale moves to the won
// stage with probability 100, an aftersales.CustomerVehicle is created, and a notice to the customer is queued.
// When two sales race to win one vehicle exactly one succeeds; the other gets catalog.ErrVehicleSold. The
// PostgreSQL adapter also holds one won sale per vehicle and one customer vehicle per (dealer, vehicle, sale) with
// unique indexes. Other open sales of a sold vehicle stay open (they cannot be won) until someone loses them.
//
// Service.LoseSale needs a reason; the sale moves to the lost stage with probability 0 and its hold on the vehicle is
// released, while test-drive holds stay.
//
// # Errors
//
// Every error is a *crm.Error of a kernel kind, wrapped with the operation: crm.KindInvalid with the offending
// fields (named as in JSON: "stage_id", "reason", "probability", "unit_price.currency", …), crm.KindNotFound,
// crm.KindStaleVersion when the caller's expected version is not the stored one, crm.KindForbidden without a
// dealer in the context, and conflicts: ErrSaleClosed, ErrNoStage, ErrOrderExists, and the catalog's and leads'
// own (catalog.ErrVehicleSold, catalog.ErrVehicleReserved, leads.ErrLeadClosed).
package sales

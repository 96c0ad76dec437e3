// Package aftersales is what the dealer knows about a car after it is sold: the customer vehicle (Автомобиль
// клиента) — who owns it, which sale it came from, its insurer and policy, whether a service contract was
// bought, which dealer sold it and the odometer at sale. It is the basis for repeat sales and service.
//
// A customer vehicle is created by the sales domain in the same unit of work that wins the sale (see
// sales.Service.WinSale), so a won sale and its customer vehicle exist together or not at all; at most one customer
// vehicle exists per (dealer, vehicle, sale).
//
// The package will also hold service visits, scheduled maintenance ("x km or y months, whichever comes first"),
// warranty contracts and the campaigns built on them. It imports crm and catalog only; it never imports sales or
// leads.
package aftersales

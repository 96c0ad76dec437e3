package httpapi

import (
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// orderOut is an order (Заказ) with its lines and totals.
type orderOut struct {
	ID        crm.ID    `json:"id"`
	Version   int64     `json:"version"`
	Number    string    `json:"number" doc:"the dealer's order number of the year, e.g. 2026-000042"`
	Status    string    `json:"status" doc:"draft, confirmed, paid, delivered or cancelled"`
	SaleID    crm.ID    `json:"sale_id"`
	Currency  string    `json:"currency"`
	Lines     []lineOut `json:"lines"`
	Net       crm.Money `json:"net" doc:"without VAT"`
	VAT       crm.Money `json:"vat"`
	Gross     crm.Money `json:"gross" doc:"with VAT: what the customer pays"`
	CreatedAt stamp     `json:"created_at"`
	UpdatedAt stamp     `json:"updated_at"`
}

// lineOut is one priced order line.
type lineOut struct {
	ID           crm.ID    `json:"id"`
	Kind         string    `json:"kind" enum:"LineKind"`
	Description  string    `json:"description"`
	CatalogRefID *crm.ID   `json:"catalog_ref_id"`
	Quantity     string    `json:"quantity"`
	UnitPrice    crm.Money `json:"unit_price"`
	Discount     crm.Money `json:"discount"`
	VATRate      string    `json:"vat_rate"`
	Net          crm.Money `json:"net"`
	VAT          crm.Money `json:"vat"`
	Gross        crm.Money `json:"gross"`
}

// orEmpty gives money without currency the order's currency, so that every figure reads {amount, currency}.
func orEmpty(m crm.Money, c crm.Currency) crm.Money {
	if m.Currency == "" {
		m.Currency = c
	}
	return m
}

func orderView(o sales.Order) orderOut {
	c := o.Currency
	return orderOut{ID: o.ID, Version: o.Version, Number: o.Number, Status: string(o.Status), SaleID: o.SaleID, Currency: string(c),
		Lines: mapList(o.Lines, func(l sales.Line) lineOut {
			return lineOut{ID: l.ID, Kind: string(l.Kind), Description: l.Description, CatalogRefID: idOut(l.RefID),
				Quantity: l.Quantity.String(), UnitPrice: orEmpty(l.UnitPrice, c), Discount: orEmpty(l.Discount, c),
				VATRate: l.VATRate.String(), Net: orEmpty(l.Net, c), VAT: orEmpty(l.VAT, c), Gross: orEmpty(l.Gross, c)}
		}),
		Net: orEmpty(o.Net, c), VAT: orEmpty(o.VAT, c), Gross: orEmpty(o.Gross, c), CreatedAt: stampOf(o.CreatedAt), UpdatedAt: stampOf(o.UpdatedAt)}
}

// orderIn is the optional body of POST /api/v1/sales/{id}/order.
type orderIn struct {
	Currency string `json:"currency,omitempty" doc:"default: the sale amount's currency, else the dealer's"`
}

// lineIn is the body of POST /api/v1/orders/{id}/lines and PATCH /api/v1/orders/{id}/lines/{line_id}.
type lineIn struct {
	Kind         string      `json:"kind" oa:"required" enum:"LineKind"`
	Description  string      `json:"description,omitempty" doc:"default for a vehicle: its name"`
	CatalogRefID string      `json:"catalog_ref_id,omitempty" format:"uuid" doc:"the catalog vehicle, part or service; required for a vehicle"`
	Quantity     decimalText `json:"quantity,omitempty" doc:"default 1"`
	UnitPrice    *moneyIn    `json:"unit_price,omitempty" doc:"VAT included"`
	Discount     *moneyIn    `json:"discount,omitempty" doc:"off the line, VAT included"`
	VATRate      decimalText `json:"vat_rate,omitempty" doc:"a fraction: 0.20 for 20 %"`
}

func (in lineIn) input(p *crm.Problems) sales.LineInput {
	out := sales.LineInput{Kind: sales.LineKind(in.Kind), Description: in.Description,
		RefID: parseIDField(p, "catalog_ref_id", in.CatalogRefID), UnitPrice: in.UnitPrice.money(p, "unit_price"),
		Discount: in.Discount.money(p, "discount"), VATRate: parseDecimal(p, "vat_rate", in.VATRate)}
	out.Quantity = parseDecimal(p, "quantity", in.Quantity)
	if in.Quantity == "" {
		out.Quantity = out.Quantity.Add(decimalOne)
	}
	return out
}

package postgres

import (
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// insuranceDoc is how a vehicle's (and a sale's) insurance is kept in a jsonb column.
type insuranceDoc struct {
	Insurer      string    `json:"insurer,omitempty"`
	PolicyNumber string    `json:"policy_number,omitempty"`
	ValidFrom    time.Time `json:"valid_from,omitzero"`
	ValidTo      time.Time `json:"valid_to,omitzero"`
}

func insuranceDocOf(i catalog.VehicleInsurance) insuranceDoc {
	return insuranceDoc{Insurer: i.Insurer, PolicyNumber: i.PolicyNumber, ValidFrom: i.ValidFrom, ValidTo: i.ValidTo}
}

func (i insuranceDoc) value() catalog.VehicleInsurance {
	return catalog.VehicleInsurance{Insurer: i.Insurer, PolicyNumber: i.PolicyNumber, ValidFrom: i.ValidFrom,
		ValidTo: i.ValidTo}
}

// specsDoc is how a vehicle's technical data is kept in vehicles.specs.
type specsDoc struct {
	EngineType     string          `json:"engine_type,omitempty"`
	DisplacementCC int             `json:"displacement_cc,omitempty"`
	PowerKW        decimal.Decimal `json:"power_kw"`
	PowerHP        decimal.Decimal `json:"power_hp"`
	Fuel           string          `json:"fuel,omitempty"`
	Transmission   string          `json:"transmission,omitempty"`
	Drive          string          `json:"drive,omitempty"`
	Seats          int             `json:"seats,omitempty"`
	Doors          int             `json:"doors,omitempty"`
	EmissionClass  string          `json:"emission_class,omitempty"`
}

func specsDocOf(s catalog.VehicleSpecs) specsDoc {
	return specsDoc{EngineType: s.EngineType, DisplacementCC: s.DisplacementCC, PowerKW: s.PowerKW, PowerHP: s.PowerHP,
		Fuel: s.Fuel, Transmission: s.Transmission, Drive: s.Drive, Seats: s.Seats, Doors: s.Doors,
		EmissionClass: s.EmissionClass}
}

func (s specsDoc) value() catalog.VehicleSpecs {
	return catalog.VehicleSpecs{EngineType: s.EngineType, DisplacementCC: s.DisplacementCC, PowerKW: s.PowerKW,
		PowerHP: s.PowerHP, Fuel: s.Fuel, Transmission: s.Transmission, Drive: s.Drive, Seats: s.Seats, Doors: s.Doors,
		EmissionClass: s.EmissionClass}
}

// reservationDoc is one hold on a vehicle as kept in vehicles.reservations.
type reservationDoc struct {
	Purpose   string    `json:"purpose"`
	RefID     crm.ID    `json:"ref_id"`
	Holder    holderDoc `json:"holder"`
	From      time.Time `json:"from,omitzero"`
	Until     time.Time `json:"until,omitzero"`
	CreatedAt time.Time `json:"created_at"`
}

// holderDoc is whom a reservation holds the vehicle for.
type holderDoc struct {
	LeadID     crm.ID `json:"lead_id,omitempty"`
	SaleID     crm.ID `json:"sale_id,omitempty"`
	CustomerID crm.ID `json:"customer_id,omitempty"`
}

// reservationDocsOf writes no reservations as an empty array, as stored since the column was added.
func reservationDocsOf(rs []catalog.Reservation) []reservationDoc {
	out := make([]reservationDoc, len(rs))
	for i, r := range rs {
		out[i] = reservationDoc{Purpose: string(r.Purpose), RefID: r.RefID, From: r.From, Until: r.Until, CreatedAt: r.CreatedAt,
			Holder: holderDoc{LeadID: r.Holder.LeadID, SaleID: r.Holder.SaleID, CustomerID: r.Holder.CustomerID}}
	}
	return out
}

// reservationsOf reads no reservations as nil.
func reservationsOf(docs []reservationDoc) []catalog.Reservation {
	if len(docs) == 0 {
		return nil
	}
	out := make([]catalog.Reservation, len(docs))
	for i, r := range docs {
		out[i] = catalog.Reservation{Purpose: catalog.Purpose(r.Purpose), RefID: r.RefID, From: r.From, Until: r.Until,
			CreatedAt: r.CreatedAt, Holder: catalog.Holder{LeadID: r.Holder.LeadID, SaleID: r.Holder.SaleID,
				CustomerID: r.Holder.CustomerID}}
	}
	return out
}

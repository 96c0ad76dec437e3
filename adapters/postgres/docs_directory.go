package postgres

import (
	"database/sql"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// configurationDoc is how the nested data of a configuration is kept in configurations.doc.
type configurationDoc struct {
	Body      string      `json:"body,omitempty"`
	Specs     specsDoc    `json:"specs"`
	Equipment []string    `json:"equipment"`
	Options   []optionDoc `json:"options"`
	Colors    []colorDoc  `json:"colors"`
}

// optionDoc is one option of a configuration inside configurationDoc; prices are in the configuration's currency.
type optionDoc struct {
	ID       crm.ID          `json:"id"`
	Code     string          `json:"code"`
	Name     string          `json:"name"`
	Kind     string          `json:"kind"`
	Price    decimal.Decimal `json:"price"`
	Includes []string        `json:"includes,omitempty"`
	Requires []string        `json:"requires,omitempty"`
	Excludes []string        `json:"excludes,omitempty"`
}

// colorDoc is one colour of a configuration inside configurationDoc.
type colorDoc struct {
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Kind      string          `json:"kind"`
	Surcharge decimal.Decimal `json:"surcharge"`
}

func configurationDocOf(c catalog.Configuration) configurationDoc {
	d := configurationDoc{Body: c.Body, Specs: specsDocOf(c.Specs), Equipment: nonNil(c.Equipment),
		Options: make([]optionDoc, len(c.Options)), Colors: make([]colorDoc, len(c.Colors))}
	for i, o := range c.Options {
		d.Options[i] = optionDoc{ID: o.ID, Code: o.Code, Name: o.Name, Kind: string(o.Kind), Price: o.Price.Amount,
			Includes: o.Includes, Requires: o.Requires, Excludes: o.Excludes}
	}
	for i, col := range c.Colors {
		d.Colors[i] = colorDoc{Code: col.Code, Name: col.Name, Kind: string(col.Kind), Surcharge: col.Surcharge.Amount}
	}
	return d
}

// fill sets the nested data of c from the document; cur is the configuration's currency.
func (d configurationDoc) fill(c *catalog.Configuration, cur crm.Currency) {
	c.Body, c.Specs = d.Body, d.Specs.value()
	c.Equipment = d.Equipment
	if len(c.Equipment) == 0 {
		c.Equipment = nil
	}
	c.Options, c.Colors = nil, nil
	for _, o := range d.Options {
		c.Options = append(c.Options, catalog.Option{ID: o.ID, Code: o.Code, Name: o.Name, Kind: catalog.OptionKind(o.Kind),
			Price: crm.NewMoney(o.Price, cur), Includes: o.Includes, Requires: o.Requires, Excludes: o.Excludes})
	}
	for _, col := range d.Colors {
		c.Colors = append(c.Colors, catalog.Color{Code: col.Code, Name: col.Name, Kind: catalog.ColorKind(col.Kind),
			Surcharge: crm.NewMoney(col.Surcharge, cur)})
	}
}

// maintenanceVisitDoc is one visit of a plan as kept in maintenance_plans.visits.
type maintenanceVisitDoc struct {
	Name  string               `json:"name"`
	Works []maintenanceWorkDoc `json:"works"`
}

// maintenanceWorkDoc is one work of a visit.
type maintenanceWorkDoc struct {
	LabourID crm.ID          `json:"labour_id,omitzero"`
	PartID   crm.ID          `json:"part_id,omitzero"`
	Name     string          `json:"name,omitempty"`
	Quantity decimal.Decimal `json:"quantity"`
}

func maintenanceVisitDocsOf(vs []catalog.MaintenanceVisit) []maintenanceVisitDoc {
	out := make([]maintenanceVisitDoc, len(vs))
	for i, v := range vs {
		out[i] = maintenanceVisitDoc{Name: v.Name, Works: make([]maintenanceWorkDoc, len(v.Works))}
		for j, w := range v.Works {
			out[i].Works[j] = maintenanceWorkDoc{LabourID: w.LabourID, PartID: w.PartID, Name: w.Name, Quantity: w.Quantity}
		}
	}
	return out
}

func maintenanceVisitsOf(ds []maintenanceVisitDoc) []catalog.MaintenanceVisit {
	var out []catalog.MaintenanceVisit
	for _, d := range ds {
		v := catalog.MaintenanceVisit{Name: d.Name}
		for _, w := range d.Works {
			v.Works = append(v.Works, catalog.MaintenanceWork{LabourID: w.LabourID, PartID: w.PartID, Name: w.Name,
				Quantity: w.Quantity})
		}
		out = append(out, v)
	}
	return out
}

// nullID is a nullable uuid column's value: NULL for the zero ID.
func nullID(id crm.ID) uuid.NullUUID { return uuid.NullUUID{UUID: id, Valid: id != (crm.ID{})} }

// nullTime is a nullable timestamptz column's value: NULL for the zero time.
func nullTime(t time.Time) sql.NullTime { return sql.NullTime{Time: t, Valid: !t.IsZero()} }

// timeOf reads a nullable timestamptz column in UTC (the zero time for NULL).
func timeOf(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// vehicleBuildDoc is how a card's build (catalog.VehicleBuild) is kept in vehicles.build; amounts are in the
// card's currency. A card without a build stores {}.
type vehicleBuildDoc struct {
	ConfigurationID      crm.ID         `json:"configuration_id,omitzero"`
	Options              []string       `json:"options,omitempty"`
	ExteriorColor        string         `json:"exterior_color,omitempty"`
	InteriorColor        string         `json:"interior_color,omitempty"`
	ConfigurationCode    string         `json:"configuration_code,omitempty"`
	ConfigurationVersion int64          `json:"configuration_version,omitempty"`
	Equipment            []string       `json:"equipment,omitempty"`
	AllOptions           []string       `json:"all_options,omitempty"`
	Lines                []priceLineDoc `json:"lines,omitempty"`
	PricedAt             time.Time      `json:"priced_at,omitzero"`
	FrozenAt             time.Time      `json:"frozen_at,omitzero"`
}

// priceLineDoc is one line of a build's quote.
type priceLineDoc struct {
	Kind   string          `json:"kind"`
	Code   string          `json:"code,omitempty"`
	Name   string          `json:"name"`
	Amount decimal.Decimal `json:"amount"`
}

func vehicleBuildDocOf(b catalog.VehicleBuild) vehicleBuildDoc {
	if b.IsZero() {
		return vehicleBuildDoc{}
	}
	d := vehicleBuildDoc{ConfigurationID: b.ConfigurationID, Options: b.Options, ExteriorColor: b.ExteriorColor,
		InteriorColor: b.InteriorColor, ConfigurationCode: b.ConfigurationCode, ConfigurationVersion: b.ConfigurationVersion,
		Equipment: b.Equipment, AllOptions: b.AllOptions, PricedAt: b.PricedAt, FrozenAt: b.FrozenAt}
	for _, l := range b.Lines {
		d.Lines = append(d.Lines, priceLineDoc{Kind: string(l.Kind), Code: l.Code, Name: l.Name, Amount: l.Amount.Amount})
	}
	return d
}

func (d vehicleBuildDoc) value(cur crm.Currency) catalog.VehicleBuild {
	b := catalog.VehicleBuild{ConfigurationID: d.ConfigurationID, Options: d.Options, ExteriorColor: d.ExteriorColor,
		InteriorColor: d.InteriorColor, ConfigurationCode: d.ConfigurationCode, ConfigurationVersion: d.ConfigurationVersion,
		Equipment: d.Equipment, AllOptions: d.AllOptions, PricedAt: utcOrZero(d.PricedAt), FrozenAt: utcOrZero(d.FrozenAt)}
	for _, l := range d.Lines {
		b.Lines = append(b.Lines, catalog.PriceLine{Kind: catalog.PriceLineKind(l.Kind), Code: l.Code, Name: l.Name,
			Amount: crm.NewMoney(l.Amount, cur)})
	}
	return b
}

package httpapi

import (
	"strconv"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// makeIn is the body of POST /api/v1/makes.
type makeIn struct {
	Name    string `json:"name" oa:"required" doc:"unique per dealer, without case"`
	Country string `json:"country,omitempty"`
}

// makeOut is a make of the model directory.
type makeOut struct {
	ID        crm.ID `json:"id"`
	Version   int64  `json:"version"`
	Name      string `json:"name"`
	Country   string `json:"country,omitempty"`
	CreatedAt stamp  `json:"created_at"`
	UpdatedAt stamp  `json:"updated_at"`
}

func makeView(m catalog.Make) makeOut {
	return makeOut{ID: m.ID, Version: m.Version, Name: m.Name, Country: m.Country, CreatedAt: stampOf(m.CreatedAt),
		UpdatedAt: stampOf(m.UpdatedAt)}
}

// modelIn is the body of POST /api/v1/models.
type modelIn struct {
	MakeID string `json:"make_id" oa:"required"`
	Name   string `json:"name" oa:"required" doc:"unique within the make, without case"`
	Code   string `json:"code,omitempty" doc:"the manufacturer's model code"`
}

// modelOut is a model of the directory.
type modelOut struct {
	ID        crm.ID `json:"id"`
	Version   int64  `json:"version"`
	MakeID    crm.ID `json:"make_id"`
	Name      string `json:"name"`
	Code      string `json:"code,omitempty"`
	CreatedAt stamp  `json:"created_at"`
	UpdatedAt stamp  `json:"updated_at"`
}

func modelView(m catalog.Model) modelOut {
	return modelOut{ID: m.ID, Version: m.Version, MakeID: m.MakeID, Name: m.Name, Code: m.Code,
		CreatedAt: stampOf(m.CreatedAt), UpdatedAt: stampOf(m.UpdatedAt)}
}

// generationIn is the body of POST /api/v1/generations.
type generationIn struct {
	ModelID  string `json:"model_id" oa:"required"`
	Name     string `json:"name" oa:"required" doc:"unique within the model, without case"`
	YearFrom int    `json:"year_from" oa:"required" doc:"first model year"`
	YearTo   int    `json:"year_to,omitempty" doc:"last model year; 0 or absent while still built"`
}

// generationOut is a generation of a model.
type generationOut struct {
	ID        crm.ID `json:"id"`
	Version   int64  `json:"version"`
	MakeID    crm.ID `json:"make_id"`
	ModelID   crm.ID `json:"model_id"`
	Name      string `json:"name"`
	YearFrom  int    `json:"year_from"`
	YearTo    int    `json:"year_to" doc:"0 while still built"`
	CreatedAt stamp  `json:"created_at"`
	UpdatedAt stamp  `json:"updated_at"`
}

func generationView(g catalog.Generation) generationOut {
	return generationOut{ID: g.ID, Version: g.Version, MakeID: g.MakeID, ModelID: g.ModelID, Name: g.Name,
		YearFrom: g.YearFrom, YearTo: g.YearTo, CreatedAt: stampOf(g.CreatedAt), UpdatedAt: stampOf(g.UpdatedAt)}
}

// optionIn is an option or option pack of a configuration's body.
type optionIn struct {
	ID       string   `json:"id,omitempty" doc:"kept across edits; given on creation (an edit naming the same code keeps it)"`
	Code     string   `json:"code" oa:"required" doc:"unique within the configuration; rules name options by code"`
	Name     string   `json:"name" oa:"required"`
	Kind     string   `json:"kind,omitempty" enum:"OptionKind" doc:"default option"`
	Price    *moneyIn `json:"price,omitempty"`
	Includes []string `json:"includes,omitempty" doc:"a pack's options, by code"`
	Requires []string `json:"requires,omitempty" doc:"options that must be chosen too"`
	Excludes []string `json:"excludes,omitempty" doc:"options that cannot be chosen with this one"`
}

// colorIn is a colour of a configuration's body.
type colorIn struct {
	Code      string   `json:"code" oa:"required"`
	Name      string   `json:"name" oa:"required"`
	Kind      string   `json:"kind" oa:"required" enum:"ColorKind"`
	Surcharge *moneyIn `json:"surcharge,omitempty"`
}

// configurationIn is the body of POST /api/v1/configurations (and, merged, of PATCH).
type configurationIn struct {
	GenerationID string     `json:"generation_id" oa:"required" doc:"its model and make follow; kept on edit"`
	Code         string     `json:"code" oa:"required" doc:"unique per dealer"`
	Name         string     `json:"name" oa:"required" doc:"the trim: Comfort, Luxe"`
	Body         string     `json:"body,omitempty"`
	Specs        *specsIO   `json:"specs,omitempty"`
	Equipment    []string   `json:"equipment,omitempty" doc:"standard equipment"`
	Price        *moneyIn   `json:"price,omitempty" doc:"the list price without options, VAT included"`
	ValidFrom    string     `json:"valid_from,omitempty" format:"date-time" doc:"the price is valid from"`
	ValidTo      string     `json:"valid_to,omitempty" format:"date-time" doc:"until, exclusive; absent: open"`
	Options      []optionIn `json:"options,omitempty"`
	Colors       []colorIn  `json:"colors,omitempty"`
}

func (in configurationIn) configuration(p *crm.Problems) catalog.Configuration {
	c := catalog.Configuration{GenerationID: parseIDField(p, "generation_id", in.GenerationID), Code: in.Code,
		Name: in.Name, Body: in.Body, Equipment: in.Equipment, Price: in.Price.money(p, "price"),
		ValidFrom: parseTime(p, "valid_from", in.ValidFrom), ValidTo: parseTime(p, "valid_to", in.ValidTo)}
	if in.Specs != nil {
		c.Specs = in.Specs.specs(p, "specs.")
	}
	for i, o := range in.Options {
		f := "options[" + strconv.Itoa(i) + "]"
		c.Options = append(c.Options, catalog.Option{ID: parseIDField(p, f+".id", o.ID), Code: o.Code, Name: o.Name,
			Kind: catalog.OptionKind(o.Kind), Price: o.Price.money(p, f+".price"), Includes: o.Includes,
			Requires: o.Requires, Excludes: o.Excludes})
	}
	for i, col := range in.Colors {
		c.Colors = append(c.Colors, catalog.Color{Code: col.Code, Name: col.Name, Kind: catalog.ColorKind(col.Kind),
			Surcharge: col.Surcharge.money(p, "colors["+strconv.Itoa(i)+"].surcharge")})
	}
	return c
}

// configurationInOf is the create body of a stored configuration, the base a PATCH merges onto.
func configurationInOf(c catalog.Configuration) configurationIn {
	s := specsView(c.Specs)
	in := configurationIn{GenerationID: c.GenerationID.String(), Code: c.Code, Name: c.Name, Body: c.Body, Specs: &s,
		Equipment: c.Equipment, Price: moneyInOf(c.Price), ValidFrom: timeInOf(c.ValidFrom), ValidTo: timeInOf(c.ValidTo)}
	for _, o := range c.Options {
		in.Options = append(in.Options, optionIn{ID: o.ID.String(), Code: o.Code, Name: o.Name, Kind: string(o.Kind),
			Price: moneyInOf(o.Price), Includes: o.Includes, Requires: o.Requires, Excludes: o.Excludes})
	}
	for _, col := range c.Colors {
		in.Colors = append(in.Colors, colorIn{Code: col.Code, Name: col.Name, Kind: string(col.Kind),
			Surcharge: moneyInOf(col.Surcharge)})
	}
	return in
}

// optionOut is an option or pack of a configuration.
type optionOut struct {
	ID       crm.ID    `json:"id" doc:"an option_ids entry of a price request may be this ID or the code"`
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	Kind     string    `json:"kind" enum:"OptionKind"`
	Price    crm.Money `json:"price"`
	Includes []string  `json:"includes" doc:"a pack's options, by code"`
	Requires []string  `json:"requires"`
	Excludes []string  `json:"excludes"`
}

// colorOut is a colour of a configuration.
type colorOut struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind" enum:"ColorKind"`
	Surcharge crm.Money `json:"surcharge"`
}

// configurationOut is a configuration of the directory.
type configurationOut struct {
	ID           crm.ID      `json:"id"`
	Version      int64       `json:"version"`
	MakeID       crm.ID      `json:"make_id"`
	ModelID      crm.ID      `json:"model_id"`
	GenerationID crm.ID      `json:"generation_id"`
	Code         string      `json:"code"`
	Name         string      `json:"name"`
	Body         string      `json:"body,omitempty"`
	Specs        specsIO     `json:"specs"`
	Equipment    []string    `json:"equipment"`
	Price        crm.Money   `json:"price"`
	ValidFrom    *stamp      `json:"valid_from"`
	ValidTo      *stamp      `json:"valid_to"`
	Options      []optionOut `json:"options"`
	Colors       []colorOut  `json:"colors"`
	CreatedAt    stamp       `json:"created_at"`
	UpdatedAt    stamp       `json:"updated_at"`
}

func optionView(o catalog.Option) optionOut {
	return optionOut{ID: o.ID, Code: o.Code, Name: o.Name, Kind: string(o.Kind), Price: o.Price,
		Includes: nonNilStrings(o.Includes), Requires: nonNilStrings(o.Requires), Excludes: nonNilStrings(o.Excludes)}
}

func configurationView(c catalog.Configuration) configurationOut {
	return configurationOut{ID: c.ID, Version: c.Version, MakeID: c.MakeID, ModelID: c.ModelID,
		GenerationID: c.GenerationID, Code: c.Code, Name: c.Name, Body: c.Body, Specs: specsView(c.Specs),
		Equipment: nonNilStrings(c.Equipment), Price: c.Price, ValidFrom: timeOut(c.ValidFrom), ValidTo: timeOut(c.ValidTo),
		Options: mapList(c.Options, optionView),
		Colors: mapList(c.Colors, func(col catalog.Color) colorOut {
			return colorOut{Code: col.Code, Name: col.Name, Kind: string(col.Kind), Surcharge: col.Surcharge}
		}),
		CreatedAt: stampOf(c.CreatedAt), UpdatedAt: stampOf(c.UpdatedAt)}
}

// priceIn is the body of POST /api/v1/configurations/price.
type priceIn struct {
	ConfigurationID string   `json:"configuration_id" oa:"required"`
	OptionIDs       []string `json:"option_ids,omitempty" doc:"the chosen options and packs, each by its ID or its code"`
	ExteriorColor   string   `json:"exterior_color,omitempty" doc:"an exterior colour's code"`
	InteriorColor   string   `json:"interior_color,omitempty" doc:"an interior colour's code"`
}

// priceLineOut is one line of a quote.
type priceLineOut struct {
	Kind   string    `json:"kind" enum:"PriceLineKind"`
	Code   string    `json:"code,omitempty"`
	Name   string    `json:"name"`
	Amount crm.Money `json:"amount" doc:"a price rule's may be negative (a discount)"`
}

// priceOut is a configuration priced as chosen.
type priceOut struct {
	ConfigurationID crm.ID         `json:"configuration_id"`
	Total           crm.Money      `json:"total" doc:"the sum of the lines, to the kopeck"`
	Lines           []priceLineOut `json:"lines" doc:"the configuration, each chosen option or pack, the colours' surcharges, then the dealer's price rules"`
	OptionIDs       []string       `json:"option_ids" doc:"the chosen options' codes"`
	AllOptions      []string       `json:"all_options" doc:"every option the car has, its packs' too"`
	ExteriorColor   string         `json:"exterior_color,omitempty"`
	InteriorColor   string         `json:"interior_color,omitempty"`
	PricedAt        stamp          `json:"priced_at"`
}

func priceLinesView(ls []catalog.PriceLine) []priceLineOut {
	return mapList(ls, func(l catalog.PriceLine) priceLineOut {
		return priceLineOut{Kind: string(l.Kind), Code: l.Code, Name: l.Name, Amount: l.Amount}
	})
}

func priceView(q catalog.Quote) priceOut {
	return priceOut{ConfigurationID: q.ConfigurationID, Total: q.Total, Lines: priceLinesView(q.Lines),
		OptionIDs: nonNilStrings(q.Selection.Options), AllOptions: nonNilStrings(q.AllOptions),
		ExteriorColor: q.Selection.ExteriorColor, InteriorColor: q.Selection.InteriorColor, PricedAt: stampOf(q.At)}
}

// differenceOut is one field on which compared configurations differ.
type differenceOut struct {
	Field  string   `json:"field" doc:"make, model, generation, years, name, body, specs.*, price, valid_from, valid_to, equipment, options, colors"`
	Values []string `json:"values" doc:"one per configuration, in the order of ids; for equipment, options and colours what that one has and not all the others"`
}

// compareOut is the answer of GET /api/v1/configurations/compare.
type compareOut struct {
	Configurations []configurationOut `json:"configurations"`
	Differences    []differenceOut    `json:"differences"`
}

// priceRuleIn is the body of POST /api/v1/price-rules.
type priceRuleIn struct {
	Name            string      `json:"name" oa:"required"`
	MakeID          string      `json:"make_id,omitempty" doc:"absent: any make"`
	ModelID         string      `json:"model_id,omitempty"`
	GenerationID    string      `json:"generation_id,omitempty"`
	ConfigurationID string      `json:"configuration_id,omitempty"`
	Percent         decimalText `json:"percent,omitempty" doc:"of the subtotal (configuration + options + colours): 1.5 adds 1.5 %, -3 takes 3 % off"`
	Amount          *moneyIn    `json:"amount,omitempty" doc:"added; negative: a discount"`
	ValidFrom       string      `json:"valid_from,omitempty" format:"date-time"`
	ValidTo         string      `json:"valid_to,omitempty" format:"date-time" doc:"exclusive"`
}

func (in priceRuleIn) rule(p *crm.Problems) catalog.PriceRule {
	return catalog.PriceRule{Name: in.Name, MakeID: parseIDField(p, "make_id", in.MakeID),
		ModelID: parseIDField(p, "model_id", in.ModelID), GenerationID: parseIDField(p, "generation_id", in.GenerationID),
		ConfigurationID: parseIDField(p, "configuration_id", in.ConfigurationID),
		Percent:         parseDecimal(p, "percent", in.Percent), Amount: in.Amount.money(p, "amount"),
		ValidFrom: parseTime(p, "valid_from", in.ValidFrom), ValidTo: parseTime(p, "valid_to", in.ValidTo)}
}

// priceRuleOut is one of the dealer's price rules.
type priceRuleOut struct {
	ID              crm.ID    `json:"id"`
	Version         int64     `json:"version"`
	Name            string    `json:"name"`
	MakeID          *crm.ID   `json:"make_id"`
	ModelID         *crm.ID   `json:"model_id"`
	GenerationID    *crm.ID   `json:"generation_id"`
	ConfigurationID *crm.ID   `json:"configuration_id"`
	Percent         string    `json:"percent"`
	Amount          crm.Money `json:"amount"`
	ValidFrom       *stamp    `json:"valid_from"`
	ValidTo         *stamp    `json:"valid_to"`
	CreatedAt       stamp     `json:"created_at"`
	UpdatedAt       stamp     `json:"updated_at"`
}

func priceRuleView(r catalog.PriceRule) priceRuleOut {
	return priceRuleOut{ID: r.ID, Version: r.Version, Name: r.Name, MakeID: idOut(r.MakeID), ModelID: idOut(r.ModelID),
		GenerationID: idOut(r.GenerationID), ConfigurationID: idOut(r.ConfigurationID), Percent: r.Percent.String(),
		Amount: r.Amount, ValidFrom: timeOut(r.ValidFrom), ValidTo: timeOut(r.ValidTo), CreatedAt: stampOf(r.CreatedAt),
		UpdatedAt: stampOf(r.UpdatedAt)}
}

// vehicleBuildIn is a vehicle card's reference to the model directory.
type vehicleBuildIn struct {
	ConfigurationID string   `json:"configuration_id" oa:"required"`
	OptionIDs       []string `json:"option_ids,omitempty" doc:"the chosen options and packs, by ID or code"`
	ExteriorColor   string   `json:"exterior_color,omitempty" doc:"an exterior colour's code"`
	InteriorColor   string   `json:"interior_color,omitempty" doc:"an interior colour's code"`
}

func (b *vehicleBuildIn) build(p *crm.Problems) catalog.VehicleBuild {
	if b == nil {
		return catalog.VehicleBuild{}
	}
	return catalog.VehicleBuild{ConfigurationID: requireID(p, "build.configuration_id", b.ConfigurationID),
		Options: b.OptionIDs, ExteriorColor: b.ExteriorColor, InteriorColor: b.InteriorColor}
}

func vehicleBuildInOf(b catalog.VehicleBuild) *vehicleBuildIn {
	if b.IsZero() {
		return nil
	}
	return &vehicleBuildIn{ConfigurationID: b.ConfigurationID.String(), OptionIDs: b.Options,
		ExteriorColor: b.ExteriorColor, InteriorColor: b.InteriorColor}
}

// vehicleBuildOut is what a card built from the directory was priced with.
type vehicleBuildOut struct {
	ConfigurationID      crm.ID         `json:"configuration_id"`
	ConfigurationCode    string         `json:"configuration_code"`
	ConfigurationVersion int64          `json:"configuration_version" doc:"the configuration's version when priced"`
	OptionIDs            []string       `json:"option_ids" doc:"the chosen options' codes"`
	AllOptions           []string       `json:"all_options" doc:"every option the car has, its packs' too"`
	ExteriorColor        string         `json:"exterior_color,omitempty"`
	InteriorColor        string         `json:"interior_color,omitempty"`
	Equipment            []string       `json:"equipment" doc:"the configuration's standard equipment"`
	Lines                []priceLineOut `json:"lines" doc:"the quote; the lines add up to the card's list price"`
	PricedAt             stamp          `json:"priced_at"`
	FrozenAt             *stamp         `json:"frozen_at" doc:"when the car was sold; from then on the build and the list price stay as sold"`
}

func vehicleBuildView(b catalog.VehicleBuild) *vehicleBuildOut {
	if b.IsZero() {
		return nil
	}
	return &vehicleBuildOut{ConfigurationID: b.ConfigurationID, ConfigurationCode: b.ConfigurationCode,
		ConfigurationVersion: b.ConfigurationVersion, OptionIDs: nonNilStrings(b.Options),
		AllOptions: nonNilStrings(b.AllOptions), ExteriorColor: b.ExteriorColor, InteriorColor: b.InteriorColor,
		Equipment: nonNilStrings(b.Equipment), Lines: priceLinesView(b.Lines), PricedAt: stampOf(b.PricedAt),
		FrozenAt: timeOut(b.FrozenAt)}
}

// nonNilStrings returns s, or an empty slice for nil, so that a list is [] in JSON, never null.
func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// specsView is the technical data as responses show it.
func specsView(s catalog.VehicleSpecs) specsIO {
	return specsIO{EngineType: s.EngineType, DisplacementCC: s.DisplacementCC, PowerKW: decimalInOf(s.PowerKW),
		PowerHP: decimalInOf(s.PowerHP), Fuel: s.Fuel, Transmission: s.Transmission, Drive: s.Drive, Seats: s.Seats,
		Doors: s.Doors, EmissionClass: s.EmissionClass}
}

// specs parses the technical data, naming problems under prefix ("specs.").
func (s *specsIO) specs(p *crm.Problems, prefix string) catalog.VehicleSpecs {
	return catalog.VehicleSpecs{EngineType: s.EngineType, DisplacementCC: s.DisplacementCC,
		PowerKW: parseDecimal(p, prefix+"power_kw", s.PowerKW), PowerHP: parseDecimal(p, prefix+"power_hp", s.PowerHP),
		Fuel: s.Fuel, Transmission: s.Transmission, Drive: s.Drive, Seats: s.Seats, Doors: s.Doors,
		EmissionClass: s.EmissionClass}
}

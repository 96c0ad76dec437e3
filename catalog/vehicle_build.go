package catalog

import (
	"context"
	"slices"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// VehicleBuild is a card's reference to the model directory: the configuration it is built as, the options and
// colours chosen. When a card with a build is created or edited, the catalog service prices the build
// (Configuration.Quote with the dealer's price rules) and derives the card's identity (make, model, generation,
// trim, model code, body), its technical data, its colours' names and its list price from it, recording what it
// priced here. When the car is sold (Vehicle.Sell) the build is frozen: from then on the card keeps exactly what it
// was sold with, whatever later happens to the configuration's price. A card without a build (ConfigurationID zero:
// a used car, an import) keeps its typed data as before.
type VehicleBuild struct {
	ConfigurationID crm.ID
	Options         []string // the chosen options and packs, by ID or code; kept as codes
	ExteriorColor   string   // a colour code of the configuration, or ""
	InteriorColor   string

	// Derived by the service; what a caller puts here is replaced.
	ConfigurationCode    string      // the configuration's code when priced
	ConfigurationVersion int64       // the configuration's version when priced
	Equipment            []string    // the configuration's standard equipment
	AllOptions           []string    // every option the car has, its packs' too (sorted codes): the search filter
	Lines                []PriceLine // the quote: configuration, options, colours, price rules; they add up to the list price
	PricedAt             time.Time   // when the quote was made
	FrozenAt             time.Time   // when the car was sold; zero while it is not
}

// IsZero reports whether the card references no configuration.
func (b VehicleBuild) IsZero() bool { return b.ConfigurationID == (crm.ID{}) }

// Frozen reports whether the build was frozen by the sale.
func (b VehicleBuild) Frozen() bool { return !b.FrozenAt.IsZero() }

// Selection returns what the build chooses, as Configuration.Quote takes it.
func (b VehicleBuild) Selection() Selection {
	return Selection{Options: slices.Clone(b.Options), ExteriorColor: b.ExteriorColor, InteriorColor: b.InteriorColor}
}

// Clone returns a deep copy.
func (b VehicleBuild) Clone() VehicleBuild {
	b.Options, b.Equipment = slices.Clone(b.Options), slices.Clone(b.Equipment)
	b.AllOptions, b.Lines = slices.Clone(b.AllOptions), slices.Clone(b.Lines)
	return b
}

// HasOption reports whether the car has the option with that code (directly or in a pack).
func (b VehicleBuild) HasOption(code string) bool { return slices.Contains(b.AllOptions, code) }

// keepSold restores on card what a sold car's frozen build decided (the build itself and the data derived from
// it), so that an edit of the card changes its other data only.
func (v *Vehicle) keepSold(card *Vehicle) {
	if !v.Build.Frozen() {
		return
	}
	card.Build = v.Build
	card.Make, card.Model, card.Generation, card.Trim, card.ModelCode = v.Make, v.Model, v.Generation, v.Trim, v.ModelCode
	card.Body, card.Color, card.InteriorColor, card.Specs = v.Body, v.Color, v.InteriorColor, v.Specs
	card.Finance.ListPrice = v.Finance.ListPrice
}

// DirectoryEntry is a configuration with the directory records above it, as a card built from it needs them.
type DirectoryEntry struct {
	Make          Make
	Model         Model
	Generation    Generation
	Configuration Configuration
}

// Apply derives the card's data from the build priced by q against entry e (see VehicleBuild) and records the
// quote on the build. The model year must be one of the generation's (0 takes the latest the generation covers up
// to now's year). It returns a crm.KindInvalid error naming year when it is not.
func (v *Vehicle) Apply(e DirectoryEntry, q Quote, now time.Time) error {
	g, c := e.Generation, e.Configuration
	if v.Year == 0 {
		v.Year = now.Year()
		if g.YearTo != 0 && g.YearTo < v.Year {
			v.Year = g.YearTo
		}
	}
	if !g.Covers(v.Year) {
		return crm.Invalid("catalog.Vehicle.Apply", crm.FieldError{Field: "year",
			Message: "is not a model year of generation " + g.Name + " of the configuration"})
	}
	v.Make, v.Model, v.Generation, v.Trim, v.ModelCode = e.Make.Name, e.Model.Name, g.Name, c.Name, e.Model.Code
	v.Body, v.Specs = c.Body, c.Specs
	v.Color, v.InteriorColor = "", ""
	if col, ok := c.Color(Exterior, q.Selection.ExteriorColor); ok {
		v.Color = col.Name
	}
	if col, ok := c.Color(Interior, q.Selection.InteriorColor); ok {
		v.InteriorColor = col.Name
	}
	v.Finance.ListPrice = q.Total
	v.Build = VehicleBuild{ConfigurationID: c.ID, Options: q.Selection.Options, ExteriorColor: q.Selection.ExteriorColor,
		InteriorColor: q.Selection.InteriorColor, ConfigurationCode: c.Code, ConfigurationVersion: c.Version,
		Equipment: slices.Clone(c.Equipment), AllOptions: q.AllOptions, Lines: q.Lines, PricedAt: q.At}
	return nil
}

// LookupEntry reads configuration id and the records above it; crm.KindInvalid naming configuration_id when it is
// not the dealer's.
func LookupEntry(ctx context.Context, s DirectoryStores, id crm.ID) (DirectoryEntry, error) {
	var (
		e   DirectoryEntry
		err error
	)
	if e.Configuration, err = parent(ctx, "configuration_id", s.Configurations().Get, id); err != nil {
		return e, err
	}
	if e.Generation, err = s.Generations().Get(ctx, e.Configuration.GenerationID); err != nil {
		return e, err
	}
	if e.Model, err = s.Models().Get(ctx, e.Configuration.ModelID); err != nil {
		return e, err
	}
	e.Make, err = s.Makes().Get(ctx, e.Configuration.MakeID)
	return e, err
}

// build prices card's build (when it has one and is not frozen) and derives the card's data from it. Problems are
// field errors in the card's terms (configuration_id, option_ids[i], exterior_color, interior_color, year).
func build(ctx context.Context, st DirectoryStores, card *Vehicle) error {
	if card.Build.IsZero() {
		card.Build = VehicleBuild{}
		return nil
	}
	e, err := LookupEntry(ctx, st, card.Build.ConfigurationID)
	if err != nil {
		return err
	}
	q, err := quote(ctx, st, e.Configuration.ID, card.Build.Selection())
	if err != nil {
		return err
	}
	return card.Apply(e, q, crm.Now(ctx))
}

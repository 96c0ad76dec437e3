package catalog

import (
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// The model directory is a dealer's tree of what it sells: makes → models → generations (a range of model years)
// → configurations (trims, see Configuration). Maintenance plans and manufacturer warranty terms hang on a model
// or a generation (MaintenancePlan, WarrantyTerms). Every node is a record of the dealer; a child names its parents
// by ID, and the service checks that they are the dealer's own.

// Make is a brand the dealer sells: "Lada", "Haval".
type Make struct {
	crm.Meta
	Name    string // unique per dealer, compared without case
	Country string // the brand's country of origin, free text
}

// NewMake validates m and builds a make of dealer created at now. It returns a crm.KindInvalid error naming each
// bad field: name.
func NewMake(dealer crm.ID, m Make, now time.Time) (Make, error) {
	if err := m.normalize("catalog.NewMake"); err != nil {
		return Make{}, err
	}
	m.Meta = crm.NewMeta(dealer, now)
	return m, nil
}

// Edit replaces the make's name and country with card's, validated as NewMake does.
func (m *Make) Edit(card Make) error {
	if err := card.normalize("catalog.Make.Edit"); err != nil {
		return err
	}
	card.Meta = m.Meta
	*m = card
	return nil
}

func (m *Make) normalize(op string) error {
	var p crm.Problems
	m.Name, m.Country = strings.TrimSpace(m.Name), strings.TrimSpace(m.Country)
	p.Require("name", m.Name)
	return p.Err(op)
}

// Model is a model of a make: "Vesta", "Jolion".
type Model struct {
	crm.Meta
	MakeID crm.ID // the make it belongs to
	Name   string // unique within the make, compared without case
	Code   string // the manufacturer's model code, if any ("GFL")
}

// NewModel validates m and builds a model of dealer created at now. It returns a crm.KindInvalid error naming
// each bad field: make_id, name.
func NewModel(dealer crm.ID, m Model, now time.Time) (Model, error) {
	if err := m.normalize("catalog.NewModel"); err != nil {
		return Model{}, err
	}
	m.Meta = crm.NewMeta(dealer, now)
	return m, nil
}

// Edit replaces the model's name and code with card's, validated as NewModel does; the make is kept.
func (m *Model) Edit(card Model) error {
	card.MakeID = m.MakeID
	if err := card.normalize("catalog.Model.Edit"); err != nil {
		return err
	}
	card.Meta = m.Meta
	*m = card
	return nil
}

func (m *Model) normalize(op string) error {
	var p crm.Problems
	m.Name, m.Code = strings.TrimSpace(m.Name), strings.ToUpper(strings.TrimSpace(m.Code))
	if m.MakeID == (crm.ID{}) {
		p.Add("make_id", "is required")
	}
	p.Require("name", m.Name)
	return p.Err(op)
}

// Generation is a generation of a model, built over a range of model years: "Vesta I (2015–2022)". YearTo 0
// means it is still built.
type Generation struct {
	crm.Meta
	MakeID   crm.ID // the model's make, kept by the service
	ModelID  crm.ID // the model it belongs to
	Name     string // unique within the model, compared without case
	YearFrom int    // first model year
	YearTo   int    // last model year; 0 while still built
}

// NewGeneration validates g and builds a generation of dealer created at now. It returns a crm.KindInvalid error
// naming each bad field: model_id, name, year_from, year_to.
func NewGeneration(dealer crm.ID, g Generation, now time.Time) (Generation, error) {
	if err := g.normalize("catalog.NewGeneration", now); err != nil {
		return Generation{}, err
	}
	g.Meta = crm.NewMeta(dealer, now)
	return g, nil
}

// Edit replaces the generation's name and years with card's, validated as NewGeneration does; the model is kept.
func (g *Generation) Edit(card Generation, now time.Time) error {
	card.MakeID, card.ModelID = g.MakeID, g.ModelID
	if err := card.normalize("catalog.Generation.Edit", now); err != nil {
		return err
	}
	card.Meta = g.Meta
	*g = card
	return nil
}

func (g *Generation) normalize(op string, now time.Time) error {
	var p crm.Problems
	g.Name = strings.TrimSpace(g.Name)
	if g.ModelID == (crm.ID{}) {
		p.Add("model_id", "is required")
	}
	p.Require("name", g.Name)
	last := now.Year() + 2
	if g.YearFrom < FirstModelYear || g.YearFrom > last {
		p.Add("year_from", "must be a model year between %d and %d", FirstModelYear, last)
	}
	if g.YearTo != 0 && (g.YearTo < g.YearFrom || g.YearTo > last) {
		p.Add("year_to", "must be 0 (still built) or a model year from year_from to %d", last)
	}
	return p.Err(op)
}

// Covers reports whether model year y is one of the generation's.
func (g Generation) Covers(y int) bool { return y >= g.YearFrom && (g.YearTo == 0 || y <= g.YearTo) }

// sameName compares directory names as the unique rules do: trimmed, without case.
func sameName(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }

// NameKey is the form in which a directory name is unique: trimmed and lower-cased. Adapters index names by it.
func NameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

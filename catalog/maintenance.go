package catalog

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// MaintenancePlan is the manufacturer's scheduled maintenance of a model, or of one of its generations (which
// then overrides the model's): a visit every IntervalKm kilometres or IntervalMonths months, whichever comes
// first, each visit with the works it includes. Visits repeat: visit n (from 1) is Visits[(n-1) % len(Visits)]
// (ТО-1, ТО-2, ТО-3, ТО-4, then ТО-1 again). A model and a generation have at most one plan each.
type MaintenancePlan struct {
	crm.Meta
	ModelID        crm.ID // the model it applies to
	GenerationID   crm.ID // the generation it applies to; zero for the whole model
	Name           string // "Регламент ТО Lada Vesta"
	IntervalKm     int    // > 0
	IntervalMonths int    // > 0
	Visits         []MaintenanceVisit
}

// MaintenanceVisit is one scheduled visit of a plan and the works it includes.
type MaintenanceVisit struct {
	Name  string // "ТО-1"
	Works []MaintenanceWork
}

// MaintenanceWork is one work of a visit: a labour operation or a spare part of the catalog, or a work named in
// words only (Name). Name may accompany a reference (it is shown then).
type MaintenanceWork struct {
	LabourID crm.ID          // a catalog.Labour, or zero
	PartID   crm.ID          // a catalog.Part, or zero
	Name     string          // required when neither LabourID nor PartID is set
	Quantity decimal.Decimal // parts or hours; zero reads as 1
}

// NewMaintenancePlan validates mp and builds a plan of dealer created at now. It returns a crm.KindInvalid error
// naming each bad field: model_id, name, interval_km, interval_months, visits, visits[i].name,
// visits[i].works, visits[i].works[j].name / .labour_id / .quantity.
func NewMaintenancePlan(dealer crm.ID, mp MaintenancePlan, now time.Time) (MaintenancePlan, error) {
	if err := mp.normalize("catalog.NewMaintenancePlan"); err != nil {
		return MaintenancePlan{}, err
	}
	mp.Meta = crm.NewMeta(dealer, now)
	return mp, nil
}

// Edit replaces the plan's name, intervals and visits with card's, validated as NewMaintenancePlan does; what it
// is attached to (model, generation) is kept.
func (mp *MaintenancePlan) Edit(card MaintenancePlan) error {
	card.ModelID, card.GenerationID = mp.ModelID, mp.GenerationID
	if err := card.normalize("catalog.MaintenancePlan.Edit"); err != nil {
		return err
	}
	card.Meta = mp.Meta
	*mp = card
	return nil
}

// Clone returns a deep copy.
func (mp MaintenancePlan) Clone() MaintenancePlan {
	if mp.Visits != nil {
		vs := make([]MaintenanceVisit, len(mp.Visits))
		for i, v := range mp.Visits {
			v.Works = slices.Clone(v.Works)
			vs[i] = v
		}
		mp.Visits = vs
	}
	return mp
}

func (mp *MaintenancePlan) normalize(op string) error {
	var p crm.Problems
	mp.Name = strings.TrimSpace(mp.Name)
	if mp.ModelID == (crm.ID{}) {
		p.Add("model_id", "is required")
	}
	p.Require("name", mp.Name)
	if mp.IntervalKm <= 0 {
		p.Add("interval_km", "must be positive")
	}
	if mp.IntervalMonths <= 0 {
		p.Add("interval_months", "must be positive")
	}
	if len(mp.Visits) == 0 {
		p.Add("visits", "a plan has at least one visit")
	}
	for i := range mp.Visits {
		v := &mp.Visits[i]
		f := fmt.Sprintf("visits[%d]", i)
		v.Name = strings.TrimSpace(v.Name)
		p.Require(f+".name", v.Name)
		if len(v.Works) == 0 {
			p.Add(f+".works", "a visit includes at least one work")
		}
		for j := range v.Works {
			w := &v.Works[j]
			g := fmt.Sprintf("%s.works[%d]", f, j)
			w.Name = strings.TrimSpace(w.Name)
			switch {
			case w.LabourID != (crm.ID{}) && w.PartID != (crm.ID{}):
				p.Add(g+".part_id", "a work is a labour operation or a part, not both")
			case w.LabourID == (crm.ID{}) && w.PartID == (crm.ID{}) && w.Name == "":
				p.Add(g+".name", "is required when the work names no labour operation or part")
			}
			if w.Quantity.IsNegative() {
				p.Add(g+".quantity", "must not be negative")
			}
		}
	}
	return p.Err(op)
}

// Visit returns visit n of the plan (n from 1; visits repeat) with the mileage and the months after the start
// (the sale) at which it is due, whichever comes first. It returns false for n < 1.
func (mp MaintenancePlan) Visit(n int) (v MaintenanceVisit, dueKm, dueMonths int, ok bool) {
	if n < 1 || len(mp.Visits) == 0 {
		return MaintenanceVisit{}, 0, 0, false
	}
	return mp.Visits[(n-1)%len(mp.Visits)], n * mp.IntervalKm, n * mp.IntervalMonths, true
}

// NextDue returns when the visit after one made at lastKm on lastAt is due: at dueKm kilometres or on dueAt,
// whichever comes first.
func (mp MaintenancePlan) NextDue(lastKm int, lastAt time.Time) (dueKm int, dueAt time.Time) {
	return lastKm + mp.IntervalKm, lastAt.AddDate(0, mp.IntervalMonths, 0)
}

// IsDue reports whether, after a visit at lastKm on lastAt, the next visit is due at km on now (whichever of
// the two limits is reached first).
func (mp MaintenancePlan) IsDue(lastKm int, lastAt time.Time, km int, now time.Time) bool {
	dueKm, dueAt := mp.NextDue(lastKm, lastAt)
	return km >= dueKm || !now.Before(dueAt)
}

// WarrantyTerms are the manufacturer's warranty on new cars of a model, or of one of its generations (which then
// overrides the model's): Months from the sale or KmLimit kilometres, whichever comes first, on the systems
// listed. A model and a generation have at most one set of terms each.
type WarrantyTerms struct {
	crm.Meta
	ModelID        crm.ID   // the model they apply to
	GenerationID   crm.ID   // the generation they apply to; zero for the whole model
	Months         int      // > 0
	KmLimit        int      // 0: no mileage limit
	CoveredSystems []string // "engine", "transmission", "body corrosion", ...; at least one
	Notes          string
}

// NewWarrantyTerms validates w and builds warranty terms of dealer created at now. It returns a crm.KindInvalid
// error naming each bad field: model_id, months, km_limit, covered_systems, covered_systems[i].
func NewWarrantyTerms(dealer crm.ID, w WarrantyTerms, now time.Time) (WarrantyTerms, error) {
	if err := w.normalize("catalog.NewWarrantyTerms"); err != nil {
		return WarrantyTerms{}, err
	}
	w.Meta = crm.NewMeta(dealer, now)
	return w, nil
}

// Edit replaces the terms' months, mileage limit, systems and notes with card's, validated as NewWarrantyTerms
// does; what they are attached to is kept.
func (w *WarrantyTerms) Edit(card WarrantyTerms) error {
	card.ModelID, card.GenerationID = w.ModelID, w.GenerationID
	if err := card.normalize("catalog.WarrantyTerms.Edit"); err != nil {
		return err
	}
	card.Meta = w.Meta
	*w = card
	return nil
}

// Clone returns a deep copy.
func (w WarrantyTerms) Clone() WarrantyTerms {
	w.CoveredSystems = slices.Clone(w.CoveredSystems)
	return w
}

func (w *WarrantyTerms) normalize(op string) error {
	var p crm.Problems
	w.Notes = strings.TrimSpace(w.Notes)
	if w.ModelID == (crm.ID{}) {
		p.Add("model_id", "is required")
	}
	if w.Months <= 0 {
		p.Add("months", "must be positive")
	}
	if w.KmLimit < 0 {
		p.Add("km_limit", "must not be negative (0: no limit)")
	}
	if len(w.CoveredSystems) == 0 {
		p.Add("covered_systems", "name at least one system")
	}
	for i := range w.CoveredSystems {
		w.CoveredSystems[i] = strings.TrimSpace(w.CoveredSystems[i])
		if w.CoveredSystems[i] == "" {
			p.Add(fmt.Sprintf("covered_systems[%d]", i), "must not be blank")
		}
	}
	return p.Err(op)
}

// Expires returns the day the warranty ends for a car sold on start: start plus Months.
func (w WarrantyTerms) Expires(start time.Time) time.Time { return start.AddDate(0, w.Months, 0) }

// InForce reports whether the warranty of a car sold on start still holds on now with the car at km: before
// Expires and, when there is a mileage limit, below it.
func (w WarrantyTerms) InForce(start, now time.Time, km int) bool {
	return now.Before(w.Expires(start)) && (w.KmLimit == 0 || km < w.KmLimit)
}

// Covers reports whether system is one of the covered systems (compared without case).
func (w WarrantyTerms) Covers(system string) bool {
	return slices.ContainsFunc(w.CoveredSystems, func(s string) bool { return sameName(s, system) })
}

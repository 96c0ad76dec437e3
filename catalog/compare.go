package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// Comparison sets two or three configurations side by side, as a salesperson does with a customer: the entries
// compared, in the order asked, and every difference between them.
type Comparison struct {
	Entries     []DirectoryEntry
	Differences []Difference
}

// Difference is one field on which the compared configurations differ, with each one's value in the order of the
// comparison. For equipment, options and colours a value lists what that configuration has that not all of the
// others have ("" when it has nothing of its own).
type Difference struct {
	Field  string // make, model, generation, years, name, body, specs.power_hp, price, valid_to, equipment, options, colors, ...
	Values []string
}

// Compare lists the differences between the configurations of entries (two or three): identity, technical data,
// price and validity, then equipment, options (with their prices) and colours (with their surcharges).
func Compare(entries []DirectoryEntry) Comparison {
	out := Comparison{Entries: entries}
	field := func(name string, value func(e DirectoryEntry) string) {
		vs := make([]string, len(entries))
		for i, e := range entries {
			vs[i] = value(e)
		}
		for _, v := range vs[1:] {
			if v != vs[0] {
				out.Differences = append(out.Differences, Difference{Field: name, Values: vs})
				return
			}
		}
	}
	field("make", func(e DirectoryEntry) string { return e.Make.Name })
	field("model", func(e DirectoryEntry) string { return e.Model.Name })
	field("generation", func(e DirectoryEntry) string { return e.Generation.Name })
	field("years", func(e DirectoryEntry) string {
		if e.Generation.YearTo == 0 {
			return fmt.Sprintf("%d–", e.Generation.YearFrom)
		}
		return fmt.Sprintf("%d–%d", e.Generation.YearFrom, e.Generation.YearTo)
	})
	field("name", func(e DirectoryEntry) string { return e.Configuration.Name })
	field("body", func(e DirectoryEntry) string { return e.Configuration.Body })
	spec := func(name string, v func(s VehicleSpecs) string) {
		field("specs."+name, func(e DirectoryEntry) string { return v(e.Configuration.Specs) })
	}
	spec("engine_type", func(s VehicleSpecs) string { return s.EngineType })
	spec("displacement_cc", func(s VehicleSpecs) string { return itoa(s.DisplacementCC) })
	spec("power_kw", func(s VehicleSpecs) string { return s.PowerKW.String() })
	spec("power_hp", func(s VehicleSpecs) string { return s.PowerHP.String() })
	spec("fuel", func(s VehicleSpecs) string { return s.Fuel })
	spec("transmission", func(s VehicleSpecs) string { return s.Transmission })
	spec("drive", func(s VehicleSpecs) string { return s.Drive })
	spec("seats", func(s VehicleSpecs) string { return itoa(s.Seats) })
	spec("doors", func(s VehicleSpecs) string { return itoa(s.Doors) })
	spec("emission_class", func(s VehicleSpecs) string { return s.EmissionClass })
	field("price", func(e DirectoryEntry) string { return e.Configuration.Price.String() })
	field("valid_from", func(e DirectoryEntry) string {
		return dateOrEmpty(e.Configuration.ValidFrom.IsZero(), e.Configuration.ValidFrom.Format("2006-01-02"))
	})
	field("valid_to", func(e DirectoryEntry) string {
		return dateOrEmpty(e.Configuration.ValidTo.IsZero(), e.Configuration.ValidTo.Format("2006-01-02"))
	})
	own := func(name string, items func(c Configuration) []string) {
		sets := make([][]string, len(entries))
		for i, e := range entries {
			sets[i] = items(e.Configuration)
		}
		field(name, func(e DirectoryEntry) string {
			var mine []string
			for _, it := range items(e.Configuration) {
				inAll := true
				for _, s := range sets {
					inAll = inAll && slices.Contains(s, it)
				}
				if !inAll {
					mine = append(mine, it)
				}
			}
			return strings.Join(mine, "; ")
		})
	}
	own("equipment", func(c Configuration) []string { return c.Equipment })
	own("options", func(c Configuration) []string {
		out := make([]string, len(c.Options))
		for i, o := range c.Options {
			out[i] = o.Code + " " + o.Price.String()
		}
		return out
	})
	own("colors", func(c Configuration) []string {
		out := make([]string, len(c.Colors))
		for i, col := range c.Colors {
			out[i] = string(col.Kind) + " " + col.Code + " +" + col.Surcharge.String()
		}
		return out
	})
	return out
}

func itoa(n int) string { return fmt.Sprint(n) }

func dateOrEmpty(zero bool, s string) string {
	if zero {
		return ""
	}
	return s
}

// CompareConfigurations compares two or three of the dealer's configurations (Compare). It returns a
// crm.KindInvalid error naming ids when fewer than two, more than three or repeated IDs are given, and naming
// ids[i] for one that is not the dealer's.
func (s *Service) CompareConfigurations(ctx context.Context, ids []crm.ID) (Comparison, error) {
	const op = "catalog.Service.CompareConfigurations"
	if len(ids) < 2 || len(ids) > 3 {
		return Comparison{}, crm.Invalid(op, crm.FieldError{Field: "ids", Message: "compare two or three configurations"})
	}
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			return Comparison{}, crm.Invalid(op, crm.FieldError{Field: "ids", Message: "names " + id.String() + " twice"})
		}
	}
	return view(ctx, s, func(ctx context.Context, st Stores) (Comparison, error) {
		var (
			p       crm.Problems
			entries []DirectoryEntry
		)
		for i, id := range ids {
			e, err := LookupEntry(ctx, st, id)
			if crm.KindOf(err) == crm.KindInvalid {
				p.Add(fmt.Sprintf("ids[%d]", i), "no such configuration of the dealer")
				continue
			}
			if err != nil {
				return Comparison{}, err
			}
			entries = append(entries, e)
		}
		if err := p.Err(op); err != nil {
			return Comparison{}, err
		}
		return Compare(entries), nil
	})
}

package sales

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// StageKind says whether a sale at a stage is still being worked (open) or closed (won or lost).
type StageKind string

// Stage kinds.
const (
	StageOpen StageKind = "open"
	StageWon  StageKind = "won"
	StageLost StageKind = "lost"
)

// Valid reports whether k is a known kind.
func (k StageKind) Valid() bool { return slices.Contains(StageKinds(), k) }

// Stage is one entry of a dealer's sales-stage directory (Стадия продажи): a code, a name, an order number
// (Порядковый номер, unique per dealer) and a maximum probability (Максимальная вероятность, integer percent).
// A sale moved to the stage takes its maximum probability.
type Stage struct {
	crm.Meta
	Code           string    `json:"code"`              // stable machine name, e.g. "test_drive"
	Name           string    `json:"name"`              // shown to users; the seeded stages are named in Russian
	NameEn         string    `json:"name_en,omitempty"` // the English name, for other locales
	Order          int       `json:"order"`
	MaxProbability int       `json:"max_probability"` // 0–100; won stages 100, lost stages 0
	Kind           StageKind `json:"kind"`
}

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// NewStage validates a stage on its own and returns it as a new record of dealer created at now: the code is
// lower-case letters, digits and underscores starting with a letter; the name is required; the order number is
// positive; the maximum probability is 0–100, exactly 100 for a won stage and 0 for a lost one. Rules that
// involve the other stages are checked by Pipeline.Validate. It returns a crm.KindInvalid error naming every
// wrong field.
func NewStage(dealer crm.ID, st Stage, now time.Time) (Stage, error) {
	if err := st.validate(); err != nil {
		return Stage{}, err
	}
	st.Meta = crm.NewMeta(dealer, now)
	return st, nil
}

func (st *Stage) validate() error {
	var p crm.Problems
	st.Code = strings.TrimSpace(st.Code)
	st.Name = strings.TrimSpace(st.Name)
	if !codePattern.MatchString(st.Code) {
		p.Add("code", "must be lower-case letters, digits and _ starting with a letter (at most 64)")
	}
	p.Require("name", st.Name)
	if st.Order <= 0 {
		p.Add("order", "must be positive")
	}
	if st.MaxProbability < 0 || st.MaxProbability > 100 {
		p.Add("max_probability", "must be between 0 and 100")
	}
	switch st.Kind {
	case StageOpen:
	case StageWon:
		if st.MaxProbability != 100 {
			p.Add("max_probability", "must be 100 for a won stage")
		}
	case StageLost:
		if st.MaxProbability != 0 {
			p.Add("max_probability", "must be 0 for a lost stage")
		}
	default:
		p.Add("kind", "must be open, won or lost")
	}
	return p.Err("sales.Stage")
}

// Closed reports whether a sale at this stage is closed (won or lost).
func (st Stage) Closed() bool { return st.Kind != StageOpen }

// DefaultStages returns the automotive stages SeedStages creates (see the package documentation), without
// metadata, named in Russian with an English name beside.
func DefaultStages() []Stage {
	return []Stage{
		{Code: "new", Name: "Новая", NameEn: "New", Order: 1, MaxProbability: 10, Kind: StageOpen},
		{Code: "needs_discovery", Name: "Выявление потребностей", NameEn: "Needs discovery", Order: 2, MaxProbability: 20, Kind: StageOpen},
		{Code: "vehicle_selection", Name: "Подбор автомобиля", NameEn: "Vehicle selection", Order: 3, MaxProbability: 30, Kind: StageOpen},
		{Code: "test_drive", Name: "Тест-драйв", NameEn: "Test drive", Order: 4, MaxProbability: 40, Kind: StageOpen},
		{Code: "proposal", Name: "Предложение", NameEn: "Proposal", Order: 5, MaxProbability: 60, Kind: StageOpen},
		{Code: "negotiation", Name: "Переговоры", NameEn: "Negotiation", Order: 6, MaxProbability: 75, Kind: StageOpen},
		{Code: "contract", Name: "Договор", NameEn: "Contract", Order: 7, MaxProbability: 90, Kind: StageOpen},
		{Code: "won", Name: "Завершена с победой", NameEn: "Won", Order: 8, MaxProbability: 100, Kind: StageWon},
		{Code: "lost", Name: "Завершена с поражением", NameEn: "Lost", Order: 9, MaxProbability: 0, Kind: StageLost},
	}
}

// Pipeline is a dealer's whole stage directory, ordered by order number.
type Pipeline []Stage

// NewPipeline returns the stages sorted by order number (then code). It does not validate; see Validate.
func NewPipeline(stages []Stage) Pipeline {
	p := append(Pipeline(nil), stages...)
	sort.SliceStable(p, func(i, j int) bool {
		if p[i].Order != p[j].Order {
			return p[i].Order < p[j].Order
		}
		return p[i].Code < p[j].Code
	})
	return p
}

// Validate checks the rules between stages: codes and order numbers are unique (crm.KindConflict naming "code"
// or "order"); there is at most one won and one lost stage (crm.KindConflict naming "kind"); and the maximum
// probability of open stages never decreases as the order number grows (crm.KindInvalid naming
// "max_probability"). Each stage must also be valid on its own (crm.KindInvalid).
func (p Pipeline) Validate() error {
	codes, orders := map[string]bool{}, map[int]string{}
	var won, lost string
	var prevOpen *Stage
	for i := range p {
		st := p[i]
		if err := st.validate(); err != nil {
			return fmt.Errorf("stage %q: %w", st.Code, err)
		}
		if codes[st.Code] {
			return conflictField("code", "stage code %q is taken", st.Code)
		}
		codes[st.Code] = true
		if other, ok := orders[st.Order]; ok {
			return conflictField("order", "order number %d is taken by stage %q", st.Order, other)
		}
		orders[st.Order] = st.Code
		switch st.Kind {
		case StageWon:
			if won != "" {
				return conflictField("kind", "stage %q is already the won stage", won)
			}
			won = st.Code
		case StageLost:
			if lost != "" {
				return conflictField("kind", "stage %q is already the lost stage", lost)
			}
			lost = st.Code
		case StageOpen:
			if prevOpen != nil && st.MaxProbability < prevOpen.MaxProbability {
				return crm.Invalid("sales.Pipeline.Validate", crm.FieldError{Field: "max_probability",
					Message: fmt.Sprintf("stage %q (order %d) allows %d%%, less than %d%% of the earlier open stage %q",
						st.Code, st.Order, st.MaxProbability, prevOpen.MaxProbability, prevOpen.Code)})
			}
			prevOpen = &p[i]
		}
	}
	return nil
}

// With returns a new pipeline in which st replaces the stage with its ID, or is added when there is none.
func (p Pipeline) With(st Stage) Pipeline {
	out := make([]Stage, 0, len(p)+1)
	replaced := false
	for _, x := range p {
		if x.ID == st.ID {
			x, replaced = st, true
		}
		out = append(out, x)
	}
	if !replaced {
		out = append(out, st)
	}
	return NewPipeline(out)
}

// Stage returns the stage with id.
func (p Pipeline) Stage(id crm.ID) (Stage, bool) {
	for _, st := range p {
		if st.ID == id {
			return st, true
		}
	}
	return Stage{}, false
}

// ByCode returns the stage with code.
func (p Pipeline) ByCode(code string) (Stage, bool) {
	for _, st := range p {
		if st.Code == code {
			return st, true
		}
	}
	return Stage{}, false
}

// First returns the open stage with the lowest order number, where new sales start by default.
func (p Pipeline) First() (Stage, bool) { return p.firstOf(StageOpen) }

// Won returns the won stage.
func (p Pipeline) Won() (Stage, bool) { return p.firstOf(StageWon) }

// Lost returns the lost stage.
func (p Pipeline) Lost() (Stage, bool) { return p.firstOf(StageLost) }

func (p Pipeline) firstOf(k StageKind) (Stage, bool) {
	for _, st := range p {
		if st.Kind == k {
			return st, true
		}
	}
	return Stage{}, false
}

// OpenBetween returns the open stages whose order number lies strictly between from's and to's, in order.
func (p Pipeline) OpenBetween(from, to Stage) []Stage {
	var out []Stage
	for _, st := range p {
		if st.Kind == StageOpen && st.Order > from.Order && st.Order < to.Order {
			out = append(out, st)
		}
	}
	return out
}

func conflictField(field, format string, args ...any) error {
	return &crm.Error{Kind: crm.KindConflict, Code: crm.CodeStageClash, Op: "sales.Pipeline.Validate", Message: fmt.Sprintf(format, args...),
		Fields: []crm.FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

package playbooks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// Condition limits a step to some leads or sales; "" means always.
type Condition string

// Conditions.
const (
	// OnlyIfCredit: the step is created only for a sale paid by credit (payment method credit or mixed).
	OnlyIfCredit Condition = "payment_credit"
)

// Conditions lists every condition a step may have.
func Conditions() []Condition { return []Condition{OnlyIfCredit} }

// Limits of a playbook.
const (
	MaxSteps      = 20     // steps per stage
	MaxDueMinutes = 525600 // a year
)

// Step is one entry of a stage's playbook: a task the owner gets when the lead or sale enters the stage.
type Step struct {
	Key         string            // stable name, unique in the playbook: lower-case letters, digits, _
	Title       string            // the task's subject (the defaults are Russian)
	TitleEn     string            // the English title, for other locales
	Required    bool              // the lead or sale cannot move forward from the stage while the task is open
	DueMinutes  int               // the task is due this many working minutes after the stage is entered (the dealer's sales hours); 0: no due time
	CompletesOn crm.StepEventKind // the event that completes the task by itself; "": done by hand
	OnlyIf      Condition         // "" or a condition (OnlyIfCredit)
}

// Playbook is the steps of one stage of a dealer's lead-stage or sales-stage directory.
type Playbook struct {
	crm.Meta
	StageID   crm.ID
	Subject   crm.SubjectKind // lead or sale: whose stage it is
	StageCode string          // the stage's code when the playbook was written (for reading; the ID is the key)
	Steps     []Step
}

// Clone returns a copy sharing nothing with p.
func (p Playbook) Clone() Playbook {
	p.Steps = slices.Clone(p.Steps)
	return p
}

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// CheckSteps validates and normalises the steps of a subject's stage: at most MaxSteps; each with a key
// (lower-case letters, digits and _, unique), a title of at most activities.MaxSubject characters, an English
// title as long at most, due minutes between 0 and MaxDueMinutes, a known event (and one that can happen to the
// subject: credit applications and contracts are a sale's), a known condition (a sale's only). It returns a
// crm.KindInvalid error naming every wrong field as steps[i].field.
func CheckSteps(subject crm.SubjectKind, steps []Step) error {
	var p crm.Problems
	if len(steps) > MaxSteps {
		p.Add("steps", "at most %d steps per stage", MaxSteps)
	}
	keys := map[string]int{}
	for i := range steps {
		s := &steps[i]
		f := func(name string) string { return fmt.Sprintf("steps[%d].%s", i, name) }
		s.Key, s.Title, s.TitleEn = strings.TrimSpace(s.Key), strings.TrimSpace(s.Title), strings.TrimSpace(s.TitleEn)
		switch j, dup := keys[s.Key]; {
		case !keyPattern.MatchString(s.Key):
			p.Add(f("key"), "must be lower-case letters, digits and _ starting with a letter (at most 64)")
		case dup:
			p.Add(f("key"), "is also the key of steps[%d]", j)
		default:
			keys[s.Key] = i
		}
		switch {
		case s.Title == "":
			p.Add(f("title"), "is required")
		case utf8.RuneCountInString(s.Title) > activities.MaxSubject:
			p.Add(f("title"), "is longer than %d characters", activities.MaxSubject)
		}
		if utf8.RuneCountInString(s.TitleEn) > activities.MaxSubject {
			p.Add(f("title_en"), "is longer than %d characters", activities.MaxSubject)
		}
		if s.DueMinutes < 0 || s.DueMinutes > MaxDueMinutes {
			p.Add(f("due_minutes"), "must be between 0 and %d", MaxDueMinutes)
		}
		switch {
		case s.CompletesOn == "":
		case !slices.Contains(crm.StepEventKinds(), s.CompletesOn):
			p.Add(f("completes_on"), "must be one of %s", joinEvents())
		case subject == crm.SubjectLead && (s.CompletesOn == crm.EventCreditApplicationCreated || s.CompletesOn == crm.EventContractFormed):
			p.Add(f("completes_on"), "%s happens to a sale, not to a lead", s.CompletesOn)
		}
		switch {
		case s.OnlyIf == "":
		case !slices.Contains(Conditions(), s.OnlyIf):
			p.Add(f("only_if"), "must be payment_credit or empty")
		case subject == crm.SubjectLead:
			p.Add(f("only_if"), "a lead has no payment method; payment_credit is for sales stages")
		}
	}
	return p.Err("playbooks.CheckSteps")
}

func joinEvents() string {
	var out []string
	for _, e := range crm.StepEventKinds() {
		out = append(out, string(e))
	}
	return strings.Join(out, ", ")
}

// applies reports whether the step is created for s.
func (st Step) applies(s crm.StageSubject) bool {
	switch st.OnlyIf {
	case OnlyIfCredit:
		return s.PaymentMethod == string(sales.PayCredit) || s.PaymentMethod == string(sales.PayMixed)
	}
	return true
}

package appraisal

import "slices"

// Area is a group of checklist elements: a part of the car inspected together.
type Area string

// The areas of a checklist.
const (
	AreaBody         Area = "body"           // body panels (кузов)
	AreaPaint        Area = "paint"          // paintwork (лакокрасочное покрытие)
	AreaGlass        Area = "glass"          // glass and mirrors (остекление)
	AreaInterior     Area = "interior"       // interior (салон)
	AreaEngine       Area = "engine"         // engine (двигатель)
	AreaTransmission Area = "transmission"   // gearbox and drive (трансмиссия)
	AreaSuspension   Area = "suspension"     // suspension and steering (подвеска)
	AreaBrakes       Area = "brakes"         // brakes (тормозная система)
	AreaTyres        Area = "tyres_wheels"   // tyres and wheels (шины и диски)
	AreaElectrics    Area = "electrics"      // electrics (электрооборудование)
	AreaDocuments    Area = "documents_keys" // documents and keys (документы и ключи)
)

// Areas returns every area in checklist order.
func Areas() []Area {
	return []Area{AreaBody, AreaPaint, AreaGlass, AreaInterior, AreaEngine, AreaTransmission, AreaSuspension,
		AreaBrakes, AreaTyres, AreaElectrics, AreaDocuments}
}

// Valid reports whether a is a known area.
func (a Area) Valid() bool { return slices.Contains(Areas(), a) }

// Grade is the condition of a checklist element.
type Grade string

// The grades, from not yet inspected to needing replacement.
const (
	GradeUnchecked Grade = "unchecked" // not inspected yet
	GradeExcellent Grade = "excellent" // as new
	GradeGood      Grade = "good"      // normal wear
	GradeFair      Grade = "fair"      // needs minor repair
	GradePoor      Grade = "poor"      // needs major repair
	GradeReplace   Grade = "replace"   // must be replaced
)

// Grades returns every grade.
func Grades() []Grade {
	return []Grade{GradeUnchecked, GradeExcellent, GradeGood, GradeFair, GradePoor, GradeReplace}
}

// Valid reports whether g is a known grade.
func (g Grade) Valid() bool { return slices.Contains(Grades(), g) }

// State is where a sheet stands.
type State string

// The states of a sheet.
const (
	StateDraft     State = "draft"     // being filled in; the only state in which it is edited
	StateSubmitted State = "submitted" // handed in for approval
	StateApproved  State = "approved"  // the price is agreed; the sheet can be a sale's trade-in
	StateRejected  State = "rejected"  // refused, with a comment
)

// States returns every state.
func States() []State { return []State{StateDraft, StateSubmitted, StateApproved, StateRejected} }

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(States(), s) }

// Action is a transition of a sheet's state.
type Action string

// The actions.
const (
	ActionSubmit  Action = "submit"  // draft → submitted
	ActionApprove Action = "approve" // submitted → approved
	ActionReject  Action = "reject"  // submitted → rejected
)

// Actions returns every action.
func Actions() []Action { return []Action{ActionSubmit, ActionApprove, ActionReject} }

// transitions is the state machine: from which state each action leads where.
var transitions = map[Action]struct{ from, to State }{
	ActionSubmit:  {StateDraft, StateSubmitted},
	ActionApprove: {StateSubmitted, StateApproved},
	ActionReject:  {StateSubmitted, StateRejected},
}

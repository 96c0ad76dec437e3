package httpapi

import (
	"strconv"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// workIn is one requested work of an appointment: a labour operation (labour_id, from /api/v1/services) or a
// part (part_id), and how many.
type workIn struct {
	LabourID string `json:"labour_id,omitempty"`
	PartID   string `json:"part_id,omitempty"`
	Quantity int    `json:"quantity,omitempty" doc:"default 1"`
}

// appointmentIn is the body of POST /api/v1/service-appointments.
type appointmentIn struct {
	CustomerVehicleID string   `json:"customer_vehicle_id" oa:"required"`
	Start             string   `json:"start" oa:"required" format:"date-time" doc:"RFC 3339, within the workshop's hours"`
	End               string   `json:"end,omitempty" format:"date-time" doc:"RFC 3339, exclusive; default: the works' expected hours in whole slots (at least one slot)"`
	Bay               string   `json:"bay" oa:"required" doc:"the bay's short code (GET /api/v1/settings/workshop)"`
	AdvisorID         string   `json:"advisor_id,omitempty" doc:"the service advisor, a user of the dealer"`
	Works             []workIn `json:"works,omitempty"`
	Maintenance       bool     `json:"maintenance,omitempty" doc:"a scheduled maintenance visit: done restarts the car's maintenance clock"`
	WarrantySystem    string   `json:"warranty_system,omitempty" doc:"warranty work on this system; refused (409 warranty_not_covered) when no warranty covers it"`
	Notes             string   `json:"notes,omitempty"`
}

func worksOf(p *crm.Problems, in []workIn) []aftersales.WorkRequest {
	var out []aftersales.WorkRequest
	for i, w := range in {
		f := "works[" + strconv.Itoa(i) + "]."
		out = append(out, aftersales.WorkRequest{LabourID: parseIDField(p, f+"labour_id", w.LabourID),
			PartID: parseIDField(p, f+"part_id", w.PartID), Quantity: w.Quantity})
	}
	return out
}

// appointmentPatchIn is the body of PATCH /api/v1/service-appointments/{id}: a reschedule or an edit of a booked
// appointment; absent fields keep their values.
type appointmentPatchIn struct {
	Start          *string   `json:"start,omitempty" format:"date-time" doc:"a new start; without end the duration is kept"`
	End            *string   `json:"end,omitempty" format:"date-time"`
	Bay            *string   `json:"bay,omitempty"`
	AdvisorID      *string   `json:"advisor_id,omitempty" doc:"\"\" unassigns the advisor"`
	Works          *[]workIn `json:"works,omitempty"`
	Maintenance    *bool     `json:"maintenance,omitempty"`
	WarrantySystem *string   `json:"warranty_system,omitempty"`
	Notes          *string   `json:"notes,omitempty"`
}

// stepIn is the optional body of the appointment steps.
type stepIn struct {
	KM     int    `json:"km,omitempty" doc:"the odometer read (arrive, complete); recorded as a service-visit reading"`
	Reason string `json:"reason,omitempty" doc:"why it is cancelled (cancel)"`
}

// voidIn is the body of voiding a warranty.
type voidIn struct {
	Reason string `json:"reason" oa:"required" doc:"why the warranty is void (e.g. the odometer was tampered with)"`
}

// workOut is one work of an appointment.
type workOut struct {
	LabourID  *crm.ID   `json:"labour_id"`
	PartID    *crm.ID   `json:"part_id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Quantity  int       `json:"quantity"`
	Hours     string    `json:"hours" doc:"expected labour hours"`
	UnitPrice crm.Money `json:"unit_price"`
	Total     crm.Money `json:"total"`
}

// appointmentOut is a service appointment as answers show it.
type appointmentOut struct {
	ID                crm.ID    `json:"id"`
	Version           int64     `json:"version"`
	CustomerVehicleID crm.ID    `json:"customer_vehicle_id"`
	CustomerID        crm.ID    `json:"customer_id"`
	Bay               string    `json:"bay"`
	AdvisorID         *crm.ID   `json:"advisor_id"`
	Start             stamp     `json:"start"`
	End               stamp     `json:"end"`
	Status            string    `json:"status" enum:"AppointmentStatus"`
	Works             []workOut `json:"works"`
	Hours             string    `json:"hours" doc:"the works' expected hours"`
	Maintenance       bool      `json:"maintenance"`
	WarrantySystem    string    `json:"warranty_system,omitempty"`
	WarrantyID        *crm.ID   `json:"warranty_id"`
	Notes             string    `json:"notes,omitempty"`
	KM                int       `json:"km"`
	CancelReason      string    `json:"cancel_reason,omitempty"`
	PartsReserved     bool      `json:"parts_reserved"`
	ArrivedAt         *stamp    `json:"arrived_at"`
	StartedAt         *stamp    `json:"started_at"`
	ClosedAt          *stamp    `json:"closed_at"`
	CreatedAt         stamp     `json:"created_at"`
	UpdatedAt         stamp     `json:"updated_at"`
}

func appointmentView(a aftersales.Appointment) appointmentOut {
	out := appointmentOut{ID: a.ID, Version: a.Version, CustomerVehicleID: a.CustomerVehicleID, CustomerID: a.CustomerID,
		Bay: a.Bay, AdvisorID: idOut(a.AdvisorID), Start: stampOf(a.Start), End: stampOf(a.End), Status: string(a.Status),
		Works: []workOut{}, Hours: a.Hours().String(), Maintenance: a.Maintenance, WarrantySystem: a.WarrantySystem,
		WarrantyID: idOut(a.WarrantyID), Notes: a.Notes, KM: a.KM, CancelReason: a.CancelReason, PartsReserved: a.PartsReserved,
		ArrivedAt: timeOut(a.ArrivedAt), StartedAt: timeOut(a.StartedAt), ClosedAt: timeOut(a.ClosedAt),
		CreatedAt: stampOf(a.CreatedAt), UpdatedAt: stampOf(a.UpdatedAt)}
	for _, w := range a.Works {
		out.Works = append(out.Works, workOut{LabourID: idOut(w.LabourID), PartID: idOut(w.PartID), Code: w.Code, Name: w.Name,
			Quantity: w.Quantity, Hours: w.Hours.String(), UnitPrice: w.UnitPrice, Total: w.Total})
	}
	return out
}

// serviceSlotOut is a free slot of one bay.
type serviceSlotOut struct {
	Bay   string `json:"bay"`
	Start stamp  `json:"start"`
	End   stamp  `json:"end"`
}

// bayIO is a workshop bay.
type bayIO struct {
	Code string `json:"code" oa:"required" doc:"short code, unique within the dealer: 1, 2, L1"`
	Name string `json:"name,omitempty"`
}

// workshopIn is the dealer's workshop calendar: GET and PUT /api/v1/settings/workshop.
type workshopIn struct {
	SlotMinutes     int     `json:"slot_minutes" oa:"required" doc:"free slots are offered this many minutes long"`
	WorkdayStart    string  `json:"workday_start" oa:"required" doc:"opening, HH:MM local time"`
	WorkdayEnd      string  `json:"workday_end" oa:"required" doc:"closing, HH:MM local time (24:00 for midnight)"`
	TimeZone        string  `json:"time_zone" oa:"required" doc:"IANA time zone, e.g. Europe/Moscow"`
	Bays            []bayIO `json:"bays" oa:"required"`
	AdvisorDayLimit int     `json:"advisor_day_limit" oa:"required" doc:"appointments per service advisor per day"`
}

// workshopOut is the calendar as answers show it.
type workshopOut struct {
	workshopIn
	Version   int64  `json:"version" doc:"0 while the dealer uses the defaults"`
	UpdatedAt *stamp `json:"updated_at"`
}

func workshopView(w aftersales.Workshop) workshopOut {
	out := workshopOut{workshopIn: workshopIn{SlotMinutes: int(w.SlotLength / time.Minute), WorkdayStart: hhmm(w.WorkdayStart),
		WorkdayEnd: hhmm(w.WorkdayEnd), TimeZone: w.TimeZone, Bays: []bayIO{}, AdvisorDayLimit: w.AdvisorDayLimit}, Version: w.Version}
	for _, b := range w.Bays {
		out.Bays = append(out.Bays, bayIO{Code: b.Code, Name: b.Name})
	}
	if w.Version > 0 {
		out.UpdatedAt = stampPtr(&w.UpdatedAt)
	}
	return out
}

// maintenanceOut answers GET /api/v1/customer-vehicles/{id}/maintenance.
type maintenanceOut struct {
	CustomerVehicleID crm.ID  `json:"customer_vehicle_id"`
	PlanID            *crm.ID `json:"plan_id" doc:"the plan followed; null when the car has none"`
	EveryKM           int     `json:"every_km"`
	EveryMonths       int     `json:"every_months"`
	NextDueDate       *string `json:"next_due_date" format:"date" doc:"the earlier of the time limit and the date the km limit is expected; null when unknown"`
	NextDueKM         *int    `json:"next_due_km" doc:"null for a plan without a km limit or a car without a plan"`
	Due               bool    `json:"due" doc:"due today or earlier, or the km limit reached"`
	Overdue           bool    `json:"overdue" doc:"a limit is passed: the due date is before today or the odometer beyond next_due_km"`
	LastKM            int     `json:"last_km"`
	KMPerDay          string  `json:"km_per_day" doc:"estimated from the readings; 0 when it cannot be"`
	Reason            string  `json:"reason"`
}

func maintenanceView(m aftersales.CarMaintenance) maintenanceOut {
	out := maintenanceOut{CustomerVehicleID: m.CustomerVehicle.ID, PlanID: idOut(m.Plan.PlanID), EveryKM: m.Plan.Interval.EveryKM,
		EveryMonths: m.Plan.Interval.EveryMonths, Due: m.Due.Due, Overdue: m.Due.Overdue, LastKM: m.Due.LastKM,
		KMPerDay: decimal.NewFromFloat(m.Due.KMPerDay).Round(1).String(), Reason: m.Due.Reason}
	if m.Plan.Interval.IsZero() {
		out.Reason = "the car has no maintenance plan"
		out.LastKM = m.CustomerVehicle.Odometer
	}
	if !m.Due.DueDate.IsZero() {
		d := m.Due.DueDate.Format(time.DateOnly)
		out.NextDueDate = &d
	}
	if m.Due.DueKM > 0 {
		k := m.Due.DueKM
		out.NextDueKM = &k
	}
	return out
}

// warrantyIn is the body of POST /api/v1/customer-vehicles/{id}/warranties.
type warrantyIn struct {
	Kind     string   `json:"kind" oa:"required" enum:"WarrantyKind"`
	Start    string   `json:"start" oa:"required" format:"date" doc:"YYYY-MM-DD, the first day covered"`
	End      string   `json:"end" oa:"required" format:"date" doc:"YYYY-MM-DD, the first day NOT covered (periods are half-open)"`
	KmLimit  int      `json:"km_limit,omitempty" doc:"covered below this odometer; 0: no limit"`
	Systems  []string `json:"systems" oa:"required" doc:"covered systems: engine, transmission, ..."`
	Provider string   `json:"provider,omitempty"`
	Notes    string   `json:"notes,omitempty"`
}

// warrantyOut is a warranty as answers show it.
type warrantyOut struct {
	ID                crm.ID   `json:"id"`
	Version           int64    `json:"version"`
	CustomerVehicleID crm.ID   `json:"customer_vehicle_id"`
	Kind              string   `json:"kind" enum:"WarrantyKind"`
	Start             string   `json:"start" format:"date"`
	End               string   `json:"end" format:"date" doc:"the first day not covered"`
	KmLimit           int      `json:"km_limit"`
	Systems           []string `json:"systems"`
	Status            string   `json:"status" enum:"WarrantyStatus" doc:"today"`
	Provider          string   `json:"provider,omitempty"`
	TermsID           *crm.ID  `json:"terms_id" doc:"the model's warranty terms it was made from"`
	Notes             string   `json:"notes,omitempty"`
	VoidReason        string   `json:"void_reason,omitempty"`
	CreatedAt         stamp    `json:"created_at"`
	UpdatedAt         stamp    `json:"updated_at"`
}

func warrantyView(today time.Time) func(aftersales.Warranty) warrantyOut {
	return func(w aftersales.Warranty) warrantyOut {
		return warrantyOut{ID: w.ID, Version: w.Version, CustomerVehicleID: w.CustomerVehicleID, Kind: string(w.Kind),
			Start: w.Start.Format(time.DateOnly), End: w.End.Format(time.DateOnly), KmLimit: w.KmLimit,
			Systems: append([]string{}, w.Systems...), Status: string(w.StatusOn(today)), Provider: w.Provider,
			TermsID: idOut(w.TermsID), Notes: w.Notes, VoidReason: w.VoidReason, CreatedAt: stampOf(w.CreatedAt),
			UpdatedAt: stampOf(w.UpdatedAt)}
	}
}

// coverageOut answers GET /api/v1/warranties/coverage.
type coverageOut struct {
	Covered    bool    `json:"covered"`
	WarrantyID *crm.ID `json:"warranty_id" doc:"the warranty that covers the repair; null when none does"`
	Reason     string  `json:"reason" doc:"why not, when not covered"`
}

// maintenancePlanIn is the body of POST /api/v1/maintenance-plans (catalog.MaintenancePlan).
type maintenancePlanIn struct {
	ModelID        string      `json:"model_id" oa:"required" doc:"a model of the directory (GET /api/v1/models)"`
	GenerationID   string      `json:"generation_id,omitempty" doc:"a generation of the model; the plan then overrides the model's"`
	Name           string      `json:"name" oa:"required"`
	IntervalKm     int         `json:"interval_km" oa:"required" doc:"a visit every this many km ..."`
	IntervalMonths int         `json:"interval_months" oa:"required" doc:"... or every this many months, whichever comes first"`
	Visits         []planVisit `json:"visits" oa:"required" doc:"the visits in order; they repeat"`
}

// planVisit is one visit of a maintenance plan.
type planVisit struct {
	Name  string     `json:"name" oa:"required"`
	Works []planWork `json:"works" oa:"required"`
}

// planWork is one work of a visit.
type planWork struct {
	LabourID string `json:"labour_id,omitempty"`
	PartID   string `json:"part_id,omitempty"`
	Name     string `json:"name,omitempty" doc:"required without labour_id or part_id"`
	Quantity string `json:"quantity,omitempty" doc:"decimal; default 1"`
}

// maintenancePlanOut is a maintenance plan as answers show it.
type maintenancePlanOut struct {
	ID             crm.ID      `json:"id"`
	Version        int64       `json:"version"`
	ModelID        crm.ID      `json:"model_id"`
	GenerationID   *crm.ID     `json:"generation_id"`
	Name           string      `json:"name"`
	IntervalKm     int         `json:"interval_km"`
	IntervalMonths int         `json:"interval_months"`
	Visits         []planVisit `json:"visits"`
	CreatedAt      stamp       `json:"created_at"`
	UpdatedAt      stamp       `json:"updated_at"`
}

func maintenancePlanView(mp catalog.MaintenancePlan) maintenancePlanOut {
	out := maintenancePlanOut{ID: mp.ID, Version: mp.Version, ModelID: mp.ModelID, GenerationID: idOut(mp.GenerationID),
		Name: mp.Name, IntervalKm: mp.IntervalKm, IntervalMonths: mp.IntervalMonths, Visits: []planVisit{},
		CreatedAt: stampOf(mp.CreatedAt), UpdatedAt: stampOf(mp.UpdatedAt)}
	for _, v := range mp.Visits {
		pv := planVisit{Name: v.Name, Works: []planWork{}}
		for _, w := range v.Works {
			pw := planWork{Name: w.Name, Quantity: w.Quantity.String()}
			if w.LabourID != (crm.ID{}) {
				pw.LabourID = w.LabourID.String()
			}
			if w.PartID != (crm.ID{}) {
				pw.PartID = w.PartID.String()
			}
			pv.Works = append(pv.Works, pw)
		}
		out.Visits = append(out.Visits, pv)
	}
	return out
}

func (in maintenancePlanIn) plan(p *crm.Problems) catalog.MaintenancePlan {
	mp := catalog.MaintenancePlan{ModelID: requireID(p, "model_id", in.ModelID), GenerationID: parseIDField(p, "generation_id", in.GenerationID),
		Name: in.Name, IntervalKm: in.IntervalKm, IntervalMonths: in.IntervalMonths}
	for i, v := range in.Visits {
		mv := catalog.MaintenanceVisit{Name: v.Name}
		for j, w := range v.Works {
			f := "visits[" + strconv.Itoa(i) + "].works[" + strconv.Itoa(j) + "]."
			mv.Works = append(mv.Works, catalog.MaintenanceWork{LabourID: parseIDField(p, f+"labour_id", w.LabourID),
				PartID: parseIDField(p, f+"part_id", w.PartID), Name: w.Name,
				Quantity: parseDecimal(p, f+"quantity", decimalText(w.Quantity))})
		}
		mp.Visits = append(mp.Visits, mv)
	}
	return mp
}

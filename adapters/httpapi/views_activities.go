package httpapi

import (
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
)

// activityIn is the body of POST /api/v1/activities (and, merged with a patch, of PATCH /api/v1/activities/{id}).
type activityIn struct {
	Kind              string  `json:"kind" oa:"required" enum:"ActivityKind"`
	Subject           string  `json:"subject" oa:"required" max:"200"`
	Notes             string  `json:"notes,omitempty" max:"4000"`
	LeadID            string  `json:"lead_id,omitempty" format:"uuid"`
	SaleID            string  `json:"sale_id,omitempty" format:"uuid"`
	CustomerID        string  `json:"customer_id,omitempty" format:"uuid" doc:"default: the customer of the lead, sale or customer vehicle named"`
	CustomerVehicleID string  `json:"customer_vehicle_id,omitempty" format:"uuid"`
	OwnerID           string  `json:"owner_id,omitempty" format:"uuid" doc:"the user who must do it; default: the caller"`
	DueAt             *string `json:"due_at,omitempty" format:"date-time" doc:"RFC 3339; absent or null: no due time"`
	Status            string  `json:"status,omitempty" enum:"ActivityStatus" doc:"on create only open (a note is created done); on PATCH cancelled cancels an open activity and open reopens a done or cancelled one; done is reached by POST .../complete"`
}

func (in activityIn) input(p *crm.Problems) activities.Input {
	return activities.Input{Kind: activities.Kind(in.Kind), Subject: in.Subject, Notes: in.Notes,
		LeadID: parseIDField(p, "lead_id", in.LeadID), SaleID: parseIDField(p, "sale_id", in.SaleID),
		CustomerID: parseIDField(p, "customer_id", in.CustomerID), CustomerVehicleID: parseIDField(p, "customer_vehicle_id", in.CustomerVehicleID),
		OwnerID: parseIDField(p, "owner_id", in.OwnerID), DueAt: parseTime(p, "due_at", deref(in.DueAt)), Status: activities.Status(in.Status)}
}

// deref is *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// idText writes an optional ID as a body does: "" when zero.
func idText(id crm.ID) string {
	if id == (crm.ID{}) {
		return ""
	}
	return id.String()
}

// activityInOf is the create body of a stored activity, the base a merge patch applies to.
func activityInOf(a activities.Activity) activityIn {
	var due *string
	if !a.DueAt.IsZero() {
		s := a.DueAt.UTC().Format(stampLayout)
		due = &s
	}
	return activityIn{Kind: string(a.Kind), Subject: a.Subject, Notes: a.Notes, LeadID: idText(a.LeadID), SaleID: idText(a.SaleID),
		CustomerID: idText(a.CustomerID), CustomerVehicleID: idText(a.CustomerVehicleID), OwnerID: idText(a.OwnerID),
		DueAt: due, Status: string(a.Status)}
}

// activityCompleteIn is the body of POST /api/v1/activities/{id}/complete.
type activityCompleteIn struct {
	Result  string `json:"result" oa:"required" max:"4000" doc:"what came of it"`
	Outcome string `json:"outcome,omitempty" enum:"ActivityOutcome" doc:"required for a call, refused for any other kind"`
}

// activityOut is an activity as responses show it.
type activityOut struct {
	ID                crm.ID      `json:"id"`
	Version           int64       `json:"version"`
	Kind              string      `json:"kind" enum:"ActivityKind"`
	Subject           string      `json:"subject"`
	Notes             string      `json:"notes,omitempty"`
	LeadID            *crm.ID     `json:"lead_id"`
	SaleID            *crm.ID     `json:"sale_id"`
	CustomerID        *crm.ID     `json:"customer_id"`
	CustomerVehicleID *crm.ID     `json:"customer_vehicle_id"`
	OwnerID           crm.ID      `json:"owner_id"`
	DueAt             *stamp      `json:"due_at" doc:"null: no due time"`
	Overdue           bool        `json:"overdue" doc:"open and due before now"`
	Status            string      `json:"status" enum:"ActivityStatus"`
	Result            string      `json:"result,omitempty"`
	Outcome           string      `json:"outcome,omitempty" enum:"ActivityOutcome"`
	CompletedAt       *stamp      `json:"completed_at"`
	CompletedBy       *crm.ID     `json:"completed_by"`
	CreatedBy         *crm.ID     `json:"created_by"`
	CreatedAt         stamp       `json:"created_at"`
	UpdatedAt         stamp       `json:"updated_at"`
	PlaybookStep      *stepRefOut `json:"playbook_step" doc:"the stage playbook step the activity was created for; null for one made by hand"`
}

// stepRefOut names the playbook step an activity was created for.
type stepRefOut struct {
	StageID     crm.ID `json:"stage_id"`
	Key         string `json:"key"`
	Required    bool   `json:"required" doc:"the lead or sale cannot move forward from the stage while it is open"`
	CompletesOn string `json:"completes_on,omitempty" enum:"PlaybookEvent" doc:"the event that completes it by itself"`
}

func stepRefView(r activities.StepRef) *stepRefOut {
	if r.IsZero() {
		return nil
	}
	return &stepRefOut{StageID: r.StageID, Key: r.Key, Required: r.Required, CompletesOn: string(r.CompletesOn)}
}

// activityViewAt shows a as of now (which decides Overdue).
func activityViewAt(now time.Time) func(activities.Activity) activityOut {
	return func(a activities.Activity) activityOut {
		return activityOut{ID: a.ID, Version: a.Version, Kind: string(a.Kind), Subject: a.Subject, Notes: a.Notes,
			LeadID: idOut(a.LeadID), SaleID: idOut(a.SaleID), CustomerID: idOut(a.CustomerID),
			CustomerVehicleID: idOut(a.CustomerVehicleID), OwnerID: a.OwnerID, DueAt: timeOut(a.DueAt), Overdue: a.Overdue(now),
			Status: string(a.Status), Result: a.Result, Outcome: string(a.Outcome), CompletedAt: timeOut(a.CompletedAt),
			CompletedBy: idOut(a.CompletedBy), CreatedBy: idOut(a.CreatedBy), CreatedAt: stampOf(a.CreatedAt), UpdatedAt: stampOf(a.UpdatedAt),
			PlaybookStep: stepRefView(a.Step)}
	}
}

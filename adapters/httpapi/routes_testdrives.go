package httpapi

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

func (h *Handler) testDriveRoutes() []route {
	if h.cfg.Leads == nil {
		return nil
	}
	return []route{
		{Method: "POST", Path: "/api/v1/test-drives", Example: obj{"customer_id": exCustomer, "vehicle_id": exVehicle, "start": exStart, "end": exEnd}, ID: "bookTestDrive", Tag: "test drives",
			Summary: "Book a test drive for a customer or a lead; the vehicle becomes reserved (an overlap is a 409)",
			Access:  crm.PermEditLeads, Body: testDriveBookIn{}, Status: 201, Out: testDriveOut{}, ETag: true, handle: h.bookTestDrive},
		{Method: "GET", Path: "/api/v1/test-drives/{id}", ID: "getTestDrive", Tag: "test drives", Summary: "Get a test drive",
			Access: crm.PermRead, Status: 200, Out: testDriveOut{}, ETag: true, handle: getByID(h.cfg.Leads.GetTestDrive, testDriveView)},
		{Method: "POST", Path: "/api/v1/test-drives/{id}/cancel", Example: obj{"reason": "клиент перенёс"}, ID: "cancelTestDrive", IfMatch: true, Tag: "test drives",
			Summary: "Cancel a booked test drive and release its hold on the vehicle", Access: crm.PermEditLeads,
			Body: testDriveCancelIn{}, OptionalBody: true, Status: 200, Out: testDriveOut{}, ETag: true, handle: h.cancelTestDrive},
		{Method: "POST", Path: "/api/v1/test-drives/{id}/complete", Example: obj{"mileage_out": 10, "mileage_in": 20}, ID: "completeTestDrive", IfMatch: true, Tag: "test drives",
			Summary: "Record that a started test drive took place", Access: crm.PermEditLeads,
			Body: testDriveCompleteIn{}, OptionalBody: true, Status: 200, Out: testDriveOut{}, ETag: true, handle: h.completeTestDrive},
		{Method: "POST", Path: "/api/v1/test-drives/{id}/no-show", ID: "markTestDriveNoShow", IfMatch: true, Tag: "test drives",
			Summary: "Record that the driver did not come", Access: crm.PermEditLeads, Status: 200, Out: testDriveOut{}, ETag: true,
			handle: h.markTestDriveNoShow},
		{Method: "GET", Path: "/api/v1/vehicles/{id}/test-drives", ID: "vehicleCalendar", Tag: "test drives",
			Summary: "The vehicle's booked test drives, by start", Access: crm.PermRead, Query: withPage(), Status: 200,
			Out: listOut[testDriveOut]{}, handle: h.vehicleCalendar},
		{Method: "GET", Path: "/api/v1/customers/{id}/test-drives", ID: "listCustomerTestDrives", Tag: "test drives",
			Summary: "The customer's test drives of any status, by start", Access: crm.PermRead, Query: withPage(), Status: 200,
			Out: listOut[testDriveOut]{}, handle: h.customerTestDrives},
	}
}

func (h *Handler) book(w http.ResponseWriter, r *http.Request, b leads.TestDriveBooking) error {
	d, err := h.cfg.Leads.BookTestDrive(r.Context(), b)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/test-drives/"+d.ID.String())
	return writeRecord(w, http.StatusCreated, d.Version, testDriveView(d))
}

func (h *Handler) bookTestDrive(w http.ResponseWriter, r *http.Request) error {
	var in testDriveBookIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	b := in.booking(&p, h.clock.Now())
	b.LeadID = parseIDField(&p, "lead_id", in.LeadID)
	b.CustomerID = parseIDField(&p, "customer_id", in.CustomerID)
	if b.LeadID == (crm.ID{}) && b.CustomerID == (crm.ID{}) && in.LeadID == "" && in.CustomerID == "" {
		p.Add("customer_id", "a customer_id or a lead_id is required")
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	return h.book(w, r, b)
}

// closeTestDrive reads the path id, If-Match and body shared by cancel, complete and no-show, then runs do.
func (h *Handler) closeTestDrive(w http.ResponseWriter, r *http.Request, body any,
	do func(id crm.ID, version int64) (leads.TestDrive, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	if body != nil {
		if err := decodeJSON(r, body); err != nil {
			return err
		}
	}
	d, err := do(id, want)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, d.Version, testDriveView(d))
}

func (h *Handler) cancelTestDrive(w http.ResponseWriter, r *http.Request) error {
	var in testDriveCancelIn
	return h.closeTestDrive(w, r, &in, func(id crm.ID, version int64) (leads.TestDrive, error) {
		if in.Reason == "" {
			in.Reason = "cancelled"
		}
		return h.cfg.Leads.CancelTestDrive(r.Context(), id, version, in.Reason)
	})
}

func (h *Handler) completeTestDrive(w http.ResponseWriter, r *http.Request) error {
	var in testDriveCompleteIn
	return h.closeTestDrive(w, r, &in, func(id crm.ID, version int64) (leads.TestDrive, error) {
		return h.cfg.Leads.CompleteTestDrive(r.Context(), id, version, leads.TestDriveOutcome{MileageOut: in.MileageOut,
			MileageIn: in.MileageIn, Feedback: in.Feedback, Rating: in.Rating, License: leads.DriverLicense(in.License)})
	})
}

func (h *Handler) markTestDriveNoShow(w http.ResponseWriter, r *http.Request) error {
	return h.closeTestDrive(w, r, nil, func(id crm.ID, version int64) (leads.TestDrive, error) {
		return h.cfg.Leads.MarkTestDriveNoShow(r.Context(), id, version)
	})
}

func (h *Handler) vehicleCalendar(w http.ResponseWriter, r *http.Request) error {
	return h.testDriveList(w, r, h.vehicleExists, h.cfg.Leads.ListVehicleTestDrives)
}

func (h *Handler) customerTestDrives(w http.ResponseWriter, r *http.Request) error {
	return h.testDriveList(w, r, h.customerExists, h.cfg.Leads.ListCustomerTestDrives)
}

// testDriveList serves a list of test drives of the record {id}; exists answers 404 for a record that is missing
// or another dealer's (an empty list would tell a caller that the id exists somewhere).
func (h *Handler) testDriveList(w http.ResponseWriter, r *http.Request, exists func(context.Context, crm.ID) error,
	list func(context.Context, crm.ID) ([]leads.TestDrive, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	if err := exists(r.Context(), id); err != nil {
		return err
	}
	all, err := list(r.Context(), id)
	if err != nil {
		return err
	}
	return writeTestDrivePage(w, all, pg)
}

func writeTestDrivePage(w http.ResponseWriter, all []leads.TestDrive, pg page) error {
	items, next, err := paginate(all, func(d leads.TestDrive) string { return d.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, testDriveView, next)
}

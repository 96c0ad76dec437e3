package aftersales

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// WorkRequest asks for one work in an appointment: a catalog labour operation or a spare part, and how many
// (default 1).
type WorkRequest struct {
	LabourID crm.ID
	PartID   crm.ID
	Quantity int
}

// AppointmentBooking is what BookAppointment needs. End may be zero: the appointment then lasts the works'
// expected hours rounded up to whole slots (at least one slot).
type AppointmentBooking struct {
	CustomerVehicleID crm.ID
	Start, End        time.Time
	Bay               string
	AdvisorID         crm.ID
	Works             []WorkRequest
	Maintenance       bool
	WarrantySystem    string
	Notes             string
}

// resolveWorks prices the requested works from the catalog; unknown references are invalid input naming
// works[i].labour_id or works[i].part_id.
func resolveWorks(ctx context.Context, st Stores, p *crm.Problems, reqs []WorkRequest) ([]Work, error) {
	var out []Work
	for i, r := range reqs {
		f := fmt.Sprintf("works[%d]", i)
		qty := r.Quantity
		if qty == 0 {
			qty = 1
		}
		if qty < 0 || qty > 1000 {
			p.Add(f+".quantity", "must be between 1 and 1000")
			continue
		}
		n := decimal.NewFromInt(int64(qty))
		switch {
		case r.LabourID != (crm.ID{}) && r.PartID != (crm.ID{}):
			p.Add(f+".part_id", "a work is a labour operation or a part, not both")
		case r.LabourID != (crm.ID{}):
			l, err := st.Labours().Get(ctx, r.LabourID)
			if errors.Is(err, crm.ErrNotFound) {
				p.Add(f+".labour_id", "the dealer has no such labour operation")
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, Work{LabourID: l.ID, Code: l.Code, Name: l.Name, Quantity: qty, Hours: l.LabourHours.Mul(n),
				UnitPrice: l.Price, Total: l.Price.Mul(n)})
		case r.PartID != (crm.ID{}):
			pt, err := st.Parts().Get(ctx, r.PartID)
			if errors.Is(err, crm.ErrNotFound) {
				p.Add(f+".part_id", "the dealer has no such part")
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, Work{PartID: pt.ID, Code: pt.Number, Name: pt.Name, Quantity: qty, UnitPrice: pt.Price,
				Total: pt.Price.Mul(n)})
		default:
			p.Add(f+".labour_id", "a labour_id or a part_id is required")
		}
	}
	return out, nil
}

// defaultEnd is start plus the works' hours rounded up to whole slots, at least one slot.
func defaultEnd(w Workshop, start time.Time, works []Work) time.Time {
	h := decimal.Zero
	for _, x := range works {
		h = h.Add(x.Hours)
	}
	minutes := h.Mul(decimal.NewFromInt(60)).Ceil().IntPart()
	slots := (time.Duration(minutes)*time.Minute + w.SlotLength - 1) / w.SlotLength
	return start.Add(max(slots, 1) * w.SlotLength)
}

// checkWarrantyWork refuses warranty work on system that no warranty of the car covers on the appointment's day.
func checkWarrantyWork(ctx context.Context, st Stores, a *Appointment, cv CustomerVehicle, loc *time.Location) error {
	if a.WarrantySystem == "" {
		a.WarrantyID = crm.ID{}
		return nil
	}
	ws, err := st.Warranties().ListByCustomerVehicle(ctx, cv.ID)
	if err != nil {
		return err
	}
	c := CoverageOf(ws, a.WarrantySystem, civil(a.Start, loc), max(cv.Odometer, a.KM))
	if !c.Covered {
		return fmt.Errorf("%s: %w", c.Reason, ErrNotCovered)
	}
	a.WarrantyID = c.WarrantyID
	return nil
}

// checkAdvisor refuses an advisor who is not a user of the dealer (invalid input naming advisor_id).
func checkAdvisor(ctx context.Context, st Stores, p *crm.Problems, advisor crm.ID) error {
	if advisor == (crm.ID{}) {
		return nil
	}
	_, err := st.Users().Get(ctx, advisor)
	if errors.Is(err, crm.ErrNotFound) {
		p.Add("advisor_id", "the dealer has no such user")
		return nil
	}
	return err
}

// holdAdvisorDay counts a in its advisor's day (delta +1) or releases it (-1).
func holdAdvisorDay(ctx context.Context, st Stores, w Workshop, loc *time.Location, a Appointment, delta int) error {
	if a.AdvisorID == (crm.ID{}) {
		return nil
	}
	return st.AdvisorDays().Add(ctx, a.AdvisorID, w.Day(a.Start, loc), delta, w.AdvisorDayLimit)
}

// BookAppointment books a service appointment for a customer vehicle, in one unit of work: the works are priced
// from the catalog, the period must lie within the workshop's working hours and not in the past, the bay must be
// one of the workshop's, warranty work must be covered (ErrNotCovered with the reason), the advisor's day must
// have room (ErrAdvisorDayFull) and the bay must be free (ErrBayTaken). The last two are held by the stores (the
// database), so of bookings racing for the last slot exactly one succeeds. It returns the appointment (status
// booked); crm.KindNotFound for a car the dealer does not have; crm.KindInvalid naming customer_vehicle_id,
// start, end, bay, advisor_id, works[i].*, warranty_system, notes.
func (s *Service) BookAppointment(ctx context.Context, b AppointmentBooking) (Appointment, error) {
	const op = "aftersales.Service.BookAppointment"
	var out Appointment
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		now := crm.Now(ctx)
		w, loc, err := workshopIn(ctx, st)
		if err != nil {
			return err
		}
		var p crm.Problems
		if b.CustomerVehicleID == (crm.ID{}) {
			p.Add("customer_vehicle_id", "is required")
			return p.Err(op)
		}
		cv, err := st.CustomerVehicles().Get(ctx, b.CustomerVehicleID)
		if err != nil {
			return err
		}
		works, err := resolveWorks(ctx, st, &p, b.Works)
		if err != nil {
			return err
		}
		if err := checkAdvisor(ctx, st, &p, b.AdvisorID); err != nil {
			return err
		}
		a := Appointment{Meta: crm.NewMeta(dealer, now), CustomerVehicleID: cv.ID, CustomerID: cv.CustomerID,
			Bay: strings.TrimSpace(b.Bay), AdvisorID: b.AdvisorID, Start: b.Start.UTC(), End: b.End.UTC(),
			Status: AppointmentBooked, Works: works, Maintenance: b.Maintenance,
			WarrantySystem: strings.TrimSpace(b.WarrantySystem), Notes: strings.TrimSpace(b.Notes)}
		if b.End.IsZero() && !b.Start.IsZero() {
			a.End = defaultEnd(w, a.Start, works)
		}
		checkBooking(&p, w, loc, a, now)
		if err := p.Err(op); err != nil {
			return err
		}
		if err := checkWarrantyWork(ctx, st, &a, cv, loc); err != nil {
			return err
		}
		if err := holdAdvisorDay(ctx, st, w, loc, a, +1); err != nil {
			return err
		}
		if err := st.Appointments().Create(ctx, &a); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, wrap(op, err)
}

// checkBooking records what is wrong with a's bay, period and texts under workshop w at now.
func checkBooking(p *crm.Problems, w Workshop, loc *time.Location, a Appointment, now time.Time) {
	if a.Bay == "" {
		p.Add("bay", "is required")
	} else if !w.HasBay(a.Bay) {
		var codes []string
		for _, b := range w.Bays {
			codes = append(codes, b.Code)
		}
		p.Add("bay", "must be one of the workshop's bays: %s", strings.Join(codes, ", "))
	}
	w.checkPeriod(p, loc, a.Start, a.End)
	if !a.Start.IsZero() && a.Start.Before(now.Truncate(time.Minute)) {
		p.Add("start", "is in the past")
	}
	if len([]rune(a.Notes)) > 2000 {
		p.Add("notes", "must be at most 2000 characters")
	}
	if len([]rune(a.WarrantySystem)) > 100 {
		p.Add("warranty_system", "must be at most 100 characters")
	}
}

// GetAppointment returns a service appointment; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetAppointment(ctx context.Context, id crm.ID) (Appointment, error) {
	var out Appointment
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Appointments().Get(ctx, id)
		return err
	})
	return out, wrap("aftersales.Service.GetAppointment", err)
}

// MaxCalendarSpan is the longest period one appointment list or free-slot query may cover.
const MaxCalendarSpan = 62 * 24 * time.Hour

// MaxAppointmentLength bounds how long an appointment lasts: it lies within one day's working hours (a booking or
// a reschedule outside them is refused), which is at most a day, 25 hours on the day the clocks go back. Stores
// rely on it to read an overlap query from an index by start (AppointmentStore.ListBetween).
const MaxAppointmentLength = 25 * time.Hour

// AppointmentFilter picks appointments from the workshop's calendar: those overlapping [From, To) (both required,
// at most MaxCalendarSpan apart), of one bay, one advisor, one status or one car when given. A day's plan per
// advisor or per bay is this list for one day.
type AppointmentFilter struct {
	From, To          time.Time
	Bay               string
	AdvisorID         crm.ID
	Status            AppointmentStatus
	CustomerVehicleID crm.ID
}

func checkSpan(p *crm.Problems, from, to time.Time) {
	switch {
	case from.IsZero():
		p.Add("from", "is required")
	case to.IsZero():
		p.Add("to", "is required")
	case !to.After(from):
		p.Add("to", "must be after from")
	case to.Sub(from) > MaxCalendarSpan:
		p.Add("to", "must be at most %d days after from", int(MaxCalendarSpan/(24*time.Hour)))
	}
}

// ListAppointments returns the page pr asks for of the appointments matching f, by start then ID (keyset pages
// read by the store: a page costs about its own size). Invalid names from, to, status or cursor.
func (s *Service) ListAppointments(ctx context.Context, f AppointmentFilter, pr crm.PageRequest) (crm.Page[Appointment], error) {
	const op = "aftersales.Service.ListAppointments"
	var p crm.Problems
	checkSpan(&p, f.From, f.To)
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "must be one of booked, arrived, in_work, done, no_show, cancelled")
	}
	if err := p.Err(op); err != nil {
		return crm.Page[Appointment]{}, err
	}
	var out crm.Page[Appointment]
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Appointments().PageBetween(ctx, f, pr)
		return err
	})
	return out, wrap(op, err)
}

// Matches reports whether a is one of the appointments f picks: overlapping [f.From, f.To), and of f's bay,
// advisor, status and car when set (the stores' PageBetween filter).
func (f AppointmentFilter) Matches(a *Appointment) bool {
	return a.Start.Before(f.To) && a.End.After(f.From) && (f.Bay == "" || a.Bay == f.Bay) &&
		(f.AdvisorID == crm.ID{} || a.AdvisorID == f.AdvisorID) && (f.Status == "" || a.Status == f.Status) &&
		(f.CustomerVehicleID == crm.ID{} || a.CustomerVehicleID == f.CustomerVehicleID)
}

// ListFreeSlots returns, for every bay (or only bay, when given), the one-slot periods of the workshop's grid
// within [from, to) that BookAppointment would accept now: within working hours, not in the past, not
// overlapping an appointment holding the bay. Ordered by start, then bay. Invalid names from, to or bay.
func (s *Service) ListFreeSlots(ctx context.Context, from, to time.Time, bay string) ([]Slot, error) {
	const op = "aftersales.Service.ListFreeSlots"
	var p crm.Problems
	checkSpan(&p, from, to)
	if err := p.Err(op); err != nil {
		return nil, err
	}
	out := []Slot{}
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		out = out[:0] // fn may run more than once
		w, loc, err := workshopIn(ctx, st)
		if err != nil {
			return err
		}
		if bay != "" && !w.HasBay(bay) {
			return crm.Invalid(op, crm.FieldError{Field: "bay", Message: "is not one of the workshop's bays"})
		}
		booked, err := st.Appointments().ListBetween(ctx, from, to)
		if err != nil {
			return err
		}
		now := crm.Now(ctx)
		for _, sl := range w.grid(loc, from, to) {
			if sl.Start.Before(now) {
				continue
			}
			for _, b := range w.Bays {
				if bay != "" && b.Code != bay {
					continue
				}
				cand := Appointment{Meta: crm.Meta{ID: crm.NewID()}, Bay: b.Code, Start: sl.Start, End: sl.End, Status: AppointmentBooked}
				free := true
				for _, x := range booked {
					free = free && !cand.Overlaps(x)
				}
				if free {
					out = append(out, Slot{Bay: b.Code, Start: sl.Start, End: sl.End})
				}
			}
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, wrap(op, err)
}

// AppointmentChange is a reschedule or an edit of a booked appointment: nil fields keep their values. A new
// AdvisorID of the zero ID unassigns the advisor.
type AppointmentChange struct {
	Start, End     *time.Time
	Bay            *string
	AdvisorID      *crm.ID
	Works          *[]WorkRequest
	Maintenance    *bool
	WarrantySystem *string
	Notes          *string
}

// RescheduleAppointment changes the booked appointment read at expectedVersion (0: unconditional): its time, bay,
// advisor, works or notes, in one unit of work, under the same rules as BookAppointment (the advisor's old day is
// released, the new one must have room; the bay must be free). A new start without an end keeps the duration. It
// returns ErrAppointmentStatus unless the appointment is booked; crm.KindStaleVersion, crm.KindNotFound,
// crm.KindInvalid, ErrBayTaken, ErrAdvisorDayFull, ErrNotCovered.
func (s *Service) RescheduleAppointment(ctx context.Context, id crm.ID, expectedVersion int64, c AppointmentChange) (Appointment, error) {
	const op = "aftersales.Service.RescheduleAppointment"
	var out Appointment
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		now := crm.Now(ctx)
		a, err := st.Appointments().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, a.Version, expectedVersion); err != nil {
			return err
		}
		old := a.Clone()
		if err := a.Step("reschedule", now); err != nil {
			return err
		}
		w, loc, err := workshopIn(ctx, st)
		if err != nil {
			return err
		}
		cv, err := st.CustomerVehicles().Get(ctx, a.CustomerVehicleID)
		if err != nil {
			return err
		}
		var p crm.Problems
		if c.Start != nil {
			d := a.End.Sub(a.Start)
			a.Start = c.Start.UTC()
			if c.End == nil {
				a.End = a.Start.Add(d)
			}
		}
		if c.End != nil {
			a.End = c.End.UTC()
		}
		if c.Bay != nil {
			a.Bay = strings.TrimSpace(*c.Bay)
		}
		if c.AdvisorID != nil {
			a.AdvisorID = *c.AdvisorID
			if err := checkAdvisor(ctx, st, &p, a.AdvisorID); err != nil {
				return err
			}
		}
		if c.Works != nil {
			if a.Works, err = resolveWorks(ctx, st, &p, *c.Works); err != nil {
				return err
			}
		}
		if c.Maintenance != nil {
			a.Maintenance = *c.Maintenance
		}
		if c.WarrantySystem != nil {
			a.WarrantySystem = strings.TrimSpace(*c.WarrantySystem)
		}
		if c.Notes != nil {
			a.Notes = strings.TrimSpace(*c.Notes)
		}
		checkBooking(&p, w, loc, a, now)
		if err := p.Err(op); err != nil {
			return err
		}
		if err := checkWarrantyWork(ctx, st, &a, cv, loc); err != nil {
			return err
		}
		if old.AdvisorID != a.AdvisorID || w.Day(old.Start, loc) != w.Day(a.Start, loc) {
			if err := holdAdvisorDay(ctx, st, w, loc, old, -1); err != nil {
				return err
			}
			if err := holdAdvisorDay(ctx, st, w, loc, a, +1); err != nil {
				return err
			}
		}
		if err := st.Appointments().Update(ctx, &a); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, wrap(op, err)
}

// StepInput carries what a step may record: the odometer on arrival or completion (0: not read; a reading is
// then recorded for the car and must not be below its last one), the reason of a cancellation.
type StepInput struct {
	KM     int
	Reason string
}

// MoveAppointment moves the appointment read at expectedVersion (0: unconditional) by step, in one unit of work:
//   - "arrive": booked → arrived (in.KM, when given, is recorded as a service-visit reading);
//   - "start": booked or arrived → in_work; the part works are reserved in stock (catalog.Part.Reserve:
//     catalog.ErrInsufficientStock when there are not enough);
//   - "complete": in_work → done; the reserved parts are taken from stock; in.KM is recorded; a maintenance
//     visit restarts the car's maintenance clock (its date and mileage);
//   - "no-show": booked → no_show, once its start has come; "cancel": booked, arrived or in_work → cancelled (reserved parts are
//     released; in.Reason is kept). Both free the advisor's day.
//
// It returns ErrAppointmentStatus when the step is not allowed from the status, crm.KindStaleVersion,
// crm.KindNotFound, ErrMileageBelowLast for a reading below the car's last one.
func (s *Service) MoveAppointment(ctx context.Context, id crm.ID, expectedVersion int64, step string, in StepInput) (Appointment, error) {
	op := "aftersales.Service.MoveAppointment"
	var out Appointment
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		now := crm.Now(ctx)
		a, err := st.Appointments().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, a.Version, expectedVersion); err != nil {
			return err
		}
		wasActive := a.Status.Active()
		if err := a.Step(step, now); err != nil {
			return err
		}
		if in.KM < 0 {
			return crm.Invalid(op, crm.FieldError{Field: "km", Message: "must not be negative"})
		}
		if len([]rune(in.Reason)) > 500 {
			return crm.Invalid(op, crm.FieldError{Field: "reason", Message: "must be at most 500 characters"})
		}
		switch step {
		case "start":
			if err := reserveParts(ctx, st, &a, +1); err != nil {
				return err
			}
		case "complete":
			if err := takeParts(ctx, st, &a); err != nil {
				return err
			}
		case "cancel":
			a.CancelReason = strings.TrimSpace(in.Reason)
			if a.CancelReason == "" {
				a.CancelReason = "cancelled"
			}
			if a.PartsReserved {
				if err := reserveParts(ctx, st, &a, -1); err != nil {
					return err
				}
			}
		}
		if wasActive && !a.Status.Active() {
			w, loc, err := workshopIn(ctx, st)
			if err != nil {
				return err
			}
			if err := holdAdvisorDay(ctx, st, w, loc, a, -1); err != nil {
				return err
			}
		}
		if in.KM > 0 || (step == "complete" && a.Maintenance) {
			if err := recordVisit(ctx, st, &a, step, in.KM, now); err != nil {
				return err
			}
		}
		if err := st.Appointments().Update(ctx, &a); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, wrap(op, err)
}

// reserveParts reserves (sign +1) or releases (-1) the appointment's part works in stock.
func reserveParts(ctx context.Context, st Stores, a *Appointment, sign int) error {
	for _, w := range a.Works {
		if !w.IsPart() {
			continue
		}
		p, err := st.Parts().Get(ctx, w.PartID)
		if err != nil {
			return err
		}
		if sign > 0 {
			err = p.Reserve(w.Quantity)
		} else {
			err = p.Release(w.Quantity)
		}
		if err != nil {
			return err
		}
		if err := st.Parts().Update(ctx, &p); err != nil {
			return err
		}
	}
	a.PartsReserved = sign > 0
	return nil
}

// takeParts takes the appointment's reserved part works from stock.
func takeParts(ctx context.Context, st Stores, a *Appointment) error {
	for _, w := range a.Works {
		if !w.IsPart() || !a.PartsReserved {
			continue
		}
		p, err := st.Parts().Get(ctx, w.PartID)
		if err != nil {
			return err
		}
		if err := p.TakeReserved(w.Quantity); err != nil {
			return err
		}
		if err := st.Parts().Update(ctx, &p); err != nil {
			return err
		}
	}
	a.PartsReserved = false
	return nil
}

// recordVisit records the visit's odometer reading (when km > 0) and, for a completed maintenance visit, restarts
// the car's maintenance clock.
func recordVisit(ctx context.Context, st Stores, a *Appointment, step string, km int, now time.Time) error {
	cv, err := st.CustomerVehicles().Get(ctx, a.CustomerVehicleID)
	if err != nil {
		return err
	}
	if km > 0 {
		r := MileageReading{KM: km, At: now, Source: ReadingServiceVisit}
		if err := cv.RecordMileage(&r, now); err != nil {
			return err
		}
		if err := st.MileageReadings().Create(ctx, &r); err != nil {
			return err
		}
		a.KM = km
	}
	if step == "complete" && a.Maintenance {
		cv.LastMaintenanceAt = now
		cv.LastMaintenanceKM = max(cv.Odometer, a.KM)
	}
	return st.CustomerVehicles().Update(ctx, &cv)
}

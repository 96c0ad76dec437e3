package leads

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// LeadInput is what a caller gives to create or edit a lead.
type LeadInput struct {
	Contact    crm.Contact `json:"contact"`
	CustomerID crm.ID      `json:"customer_id,omitzero"` // an existing customer, if known
	Source     Source      `json:"source"`
	NeedType   string      `json:"need_type"` // an active need-type code
	Interest   Interest    `json:"interest"`
	OwnerID    crm.ID      `json:"owner_id,omitzero"` // a user of the dealer
	Comments   string      `json:"comments,omitempty"`
	ExternalID string      `json:"external_id,omitempty"` // the lead's ID in the embedder's own system
}

func (in LeadInput) lead() Lead {
	return Lead{Contact: in.Contact, CustomerID: in.CustomerID, Source: in.Source, NeedType: in.NeedType,
		Interest: in.Interest, OwnerID: in.OwnerID, Comments: in.Comments, ExternalID: in.ExternalID}
}

// CreateLead validates in and saves a new lead at stage new. The contact is normalised; the need type must be an
// active entry of the directory; a customer, owner or interest vehicle given must exist (else Invalid naming
// customer_id, owner_id or interest.vehicle_id). Duplicate detection runs: the open leads and customers sharing a
// phone or e-mail are recorded on the returned lead, and a customer is linked (when none was given) only when
// exactly one of them is the same person (SamePerson: the normalised name and a phone or e-mail match); the
// others stay as duplicates for a person to confirm with LinkLeadCustomer.
func (s *Service) CreateLead(ctx context.Context, in LeadInput) (Lead, error) {
	const op = "leads.Service.CreateLead"
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return Lead{}, err
	}
	var out Lead
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		now := crm.Now(ctx)
		l, err := NewLead(dealer, in.lead(), crm.ActorFrom(ctx), now)
		if err != nil {
			return err
		}
		if err := checkReferences(ctx, st, &l, true); err != nil {
			return err
		}
		if err := markDuplicates(ctx, st, &l); err != nil {
			return err
		}
		if err := setResponseDue(ctx, st, &l); err != nil {
			return err
		}
		// The lead and its first stage's playbook tasks are written together when the batch ends (one statement
		// on PostgreSQL); what the playbook reads among them (the stage, its playbook, the working hours, a drive
		// of the customer) does not read the new lead.
		if err := crm.Batch(ctx, st, func(ctx context.Context) error {
			if err := st.Leads().Create(ctx, &l); err != nil {
				return err
			}
			return enterLeadStage(ctx, st, l, true)
		}); err != nil {
			return err
		}
		out = l
		return nil
	})
	return out, wrap(op, err)
}

// checkReferences checks the need type, customer, owner and interest vehicle a lead names; with strict false an
// inactive need type is accepted (a lead keeps the need type it has).
func checkReferences(ctx context.Context, st Stores, l *Lead, activeNeedType bool) error {
	const op = "leads.checkReferences"
	var p crm.Problems
	nt, err := st.NeedTypes().GetByCode(ctx, l.NeedType)
	switch {
	case errors.Is(err, crm.ErrNotFound):
		p.Add("need_type", "%q is not in the need-type directory", l.NeedType)
	case err != nil:
		return err
	case activeNeedType:
		p.Merge("", nt.usable(op, "need_type"))
	}
	if l.CustomerID != (crm.ID{}) {
		if _, err := st.Customers().Get(ctx, l.CustomerID); errors.Is(err, crm.ErrNotFound) {
			p.Add("customer_id", "no such customer")
		} else if err != nil {
			return err
		}
	}
	if l.OwnerID != (crm.ID{}) {
		if _, err := st.Users().Get(ctx, l.OwnerID); errors.Is(err, crm.ErrNotFound) {
			p.Add("owner_id", "no such user")
		} else if err != nil {
			return err
		}
	}
	if l.Interest.VehicleID != (crm.ID{}) {
		v, err := st.Vehicles().Get(ctx, l.Interest.VehicleID)
		switch {
		case errors.Is(err, crm.ErrNotFound):
			p.Add("interest.vehicle_id", "no such vehicle")
		case err != nil:
			return err
		default:
			i := &l.Interest
			i.Make, i.Model, i.Trim = orDefault(i.Make, v.Make), orDefault(i.Model, v.Model), orDefault(i.Trim, v.Trim)
			if i.Year == 0 {
				i.Year = v.Year
			}
			if i.Condition == "" {
				i.Condition = string(v.Condition)
			}
		}
	}
	return p.Err(op)
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// markDuplicates records on l the open leads and the customers sharing one of its phones or e-mails, and links
// the customer when l has none and exactly one of them is the same person (SamePerson).
func markDuplicates(ctx context.Context, st Stores, l *Lead) error {
	var leadIDs, customerIDs, same []crm.ID
	seen := map[crm.ID]bool{l.ID: true}
	findLeads, findCustomers := st.Leads().FindByContact, st.Customers().FindByContact
	if df, ok := st.(DuplicateFinder); ok && len(l.Contact.Phones)+len(l.Contact.Emails) > 0 {
		// One read for every phone and e-mail; each contact then picks its matches from it, in the order the
		// per-contact reads would have given.
		ls, cs, err := df.FindDuplicates(ctx, l.Contact.Phones, l.Contact.Emails)
		if err != nil {
			return err
		}
		findLeads = func(_ context.Context, phone, email string) ([]Lead, error) {
			var out []Lead
			for _, o := range ls {
				if hasContact(o.Contact, phone, email) {
					out = append(out, o)
				}
			}
			return out, nil
		}
		findCustomers = func(_ context.Context, phone, email string) ([]crm.Customer, error) {
			var out []crm.Customer
			for _, c := range cs {
				if hasContact(c.Contact, phone, email) {
					out = append(out, c)
				}
			}
			return out, nil
		}
	}
	check := func(phone, email string) error {
		ls, err := findLeads(ctx, phone, email)
		if err != nil {
			return err
		}
		for _, o := range ls {
			if !seen[o.ID] && o.IsOpen() {
				seen[o.ID] = true
				leadIDs = append(leadIDs, o.ID)
			}
		}
		cs, err := findCustomers(ctx, phone, email)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if !seen[c.ID] {
				seen[c.ID] = true
				customerIDs = append(customerIDs, c.ID)
				if SamePerson(l.Contact, c.Contact) {
					same = append(same, c.ID)
				}
			}
		}
		return nil
	}
	for _, ph := range l.Contact.Phones {
		if err := check(ph, ""); err != nil {
			return err
		}
	}
	for _, e := range l.Contact.Emails {
		if err := check("", e); err != nil {
			return err
		}
	}
	l.DuplicateLeadIDs, l.DuplicateCustomerIDs = leadIDs, customerIDs
	if l.CustomerID == (crm.ID{}) && len(same) == 1 {
		l.CustomerID = same[0]
	}
	return nil
}

// DuplicateFinder is what a unit of work may offer to find a new lead's duplicates in one read (the PostgreSQL
// adapter does): FindDuplicates returns the dealer's leads and customers having any of the phones or e-mails
// (exact, normalised values, as FindByContact matches them), each list ordered by creation (then ID), with at
// least their ID, stage (leads) and contact filled. Without it, duplicate detection asks FindByContact of both
// stores once per phone and e-mail.
type DuplicateFinder interface {
	FindDuplicates(ctx context.Context, phones, emails []string) ([]Lead, []crm.Customer, error)
}

// hasContact reports whether c has phone (when set) or email (when set), as FindByContact matches.
func hasContact(c crm.Contact, phone, email string) bool {
	return phone != "" && slices.Contains(c.Phones, phone) || email != "" && slices.Contains(c.Emails, email)
}

// GetLead returns the lead; KindNotFound if it is missing or another dealer's.
func (s *Service) GetLead(ctx context.Context, id crm.ID) (Lead, error) {
	var out Lead
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Leads().Get(ctx, id)
		return err
	})
	return out, wrap("leads.Service.GetLead", err)
}

// UpdateLead replaces the editable fields of lead id (contact, source, need type, interest, comments) with in; a
// non-zero in.CustomerID relinks the customer and a non-zero in.OwnerID that differs reassigns the lead as
// AssignLeadOwner does (zero keeps either). version is the version the
// caller read (0 skips the check; KindStaleVersion when it is not current). Stage and history change only through
// MoveLeadStage and conversion. A need type the lead already has is kept even if since deactivated.
func (s *Service) UpdateLead(ctx context.Context, id crm.ID, version int64, in LeadInput) (Lead, error) {
	const op = "leads.Service.UpdateLead"
	var out Lead
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		l, err := st.Leads().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, l.Version, version); err != nil {
			return err
		}
		now := crm.Now(ctx)
		keepNeedType := l.NeedType
		if err := l.Edit(in.lead(), now); err != nil {
			return err
		}
		if in.OwnerID != (crm.ID{}) && in.OwnerID != l.OwnerID {
			if err := l.AssignOwner(in.OwnerID, now); err != nil {
				return err
			}
		}
		if err := checkReferences(ctx, st, &l, l.NeedType != keepNeedType); err != nil {
			return err
		}
		if err := st.Leads().Update(ctx, &l); err != nil {
			return err
		}
		out = l
		return nil
	})
	return out, wrap(op, err)
}

// ListLeads returns one page of the dealer's leads matching q, newest first; pass the page's NextCursor as
// q.Cursor for the next. Invalid (naming the field) for an unknown stage or source, a negative limit or a bad
// cursor; the limit is capped at 500.
func (s *Service) ListLeads(ctx context.Context, q LeadQuery) (LeadPage, error) {
	const op = "leads.Service.ListLeads"
	var p crm.Problems
	if q.Stage != "" && !ValidStage(q.Stage) {
		p.Add("stage", "%q is not a lead stage", q.Stage)
	}
	if q.Source != "" && !q.Source.Valid() {
		p.Add("source", "must be one of %s", joinSources())
	}
	if q.Limit < 0 {
		p.Add("limit", "must not be negative")
	}
	if q.Phone != "" {
		digits, ok := PhoneSearchDigits(q.Phone)
		if !ok {
			p.Add("phone", "needs at least 7 digits")
		}
		q.Phone = digits
	}
	if _, _, err := LeadList.DecodeTime(op, q.Cursor); err != nil {
		p.Merge("", err)
	}
	if err := p.Err(op); err != nil {
		return LeadPage{}, err
	}
	q.Limit = crm.PageLimit(q.Limit)
	var out LeadPage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Leads().List(ctx, q)
		return err
	})
	return out, wrap(op, err)
}

// MoveLeadStage moves lead id to stage to (with reason, required for disqualified) along the allowed graph (see
// the package doc) and records the change with the acting user. Disqualifying a lead also cancels its booked test
// drives ("lead disqualified") and frees their vehicles where nothing else holds them, in the same unit of work.
// version as in UpdateLead. Invalid for an unknown stage or a missing reason; ErrStageTransition (a conflict) for a
// move the graph forbids. The stage's playbook is followed in the same unit of work: a forward move is refused
// while a required step of the left stage is open (a conflict with code playbook_step_open naming the step), a
// disqualified lead's open steps are cancelled, and the new stage's steps become the owner's tasks.
func (s *Service) MoveLeadStage(ctx context.Context, id crm.ID, version int64, to, reason string) (Lead, error) {
	const op = "leads.Service.MoveLeadStage"
	var out Lead
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		l, err := st.Leads().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, l.Version, version); err != nil {
			return err
		}
		before := l
		if err := l.MoveStage(to, reason, crm.ActorFrom(ctx), crm.Now(ctx)); err != nil {
			return err
		}
		if err := leaveLeadStage(ctx, st, before, to); err != nil {
			return err
		}
		if err := st.Leads().Update(ctx, &l); err != nil {
			return err
		}
		if err := enterLeadStage(ctx, st, l, false); err != nil {
			return err
		}
		if l.Stage == StageDisqualified {
			if err := s.cancelLeadDrives(ctx, st, l.ID); err != nil {
				return err
			}
		}
		out = l
		return nil
	})
	return out, wrap(op, err)
}

// cancelLeadDrives cancels the booked drives of a disqualified lead and frees their vehicles where nothing else
// holds them, in the caller's unit of work.
func (s *Service) cancelLeadDrives(ctx context.Context, st Stores, leadID crm.ID) error {
	drives, err := st.TestDrives().ListByLead(ctx, leadID)
	if err != nil {
		return err
	}
	now := crm.Now(ctx)
	for _, d := range drives {
		if !d.IsBooked() {
			continue
		}
		if err := d.Cancel(CancelReasonLeadDisqualified, now); err != nil {
			return err
		}
		if err := st.TestDrives().Update(ctx, &d); err != nil {
			return err
		}
		v, err := st.Vehicles().Get(ctx, d.VehicleID)
		if err != nil {
			return err
		}
		if err := ReleaseIfFree(ctx, st.TestDrives(), &v, d.ID, now); err != nil {
			return err
		}
		if err := st.Vehicles().Update(ctx, &v); err != nil {
			return err
		}
	}
	return nil
}

// LinkLeadCustomer links lead id to customer: the explicit confirmation that a duplicate found by phone or e-mail
// (or any customer of the dealer) is the lead's person, for the cases CreateLead does not link by itself. version
// as in UpdateLead; Invalid naming customer_id for a customer the dealer does not have; ErrLeadClosed for a
// converted or disqualified lead.
func (s *Service) LinkLeadCustomer(ctx context.Context, id crm.ID, version int64, customer crm.ID) (Lead, error) {
	const op = "leads.Service.LinkLeadCustomer"
	return s.changeLead(ctx, op, id, version, func(ctx context.Context, st Stores, l *Lead) error {
		if err := l.LinkCustomer(customer, crm.Now(ctx)); err != nil {
			return err
		}
		if _, err := st.Customers().Get(ctx, customer); errors.Is(err, crm.ErrNotFound) {
			return crm.Invalid(op, crm.FieldError{Field: "customer_id", Message: "no such customer"})
		} else if err != nil {
			return err
		}
		return nil
	})
}

// AssignLeadOwner makes user owner (a user of the dealer; Invalid naming owner_id otherwise) the manager of lead id,
// and gives them the steps of the lead's stage it has no open task for (a lead imported without an owner).
// version as in UpdateLead; ErrLeadClosed for a converted or disqualified lead.
func (s *Service) AssignLeadOwner(ctx context.Context, id crm.ID, version int64, owner crm.ID) (Lead, error) {
	const op = "leads.Service.AssignLeadOwner"
	return s.changeLead(ctx, op, id, version, func(ctx context.Context, st Stores, l *Lead) error {
		if err := l.AssignOwner(owner, crm.Now(ctx)); err != nil {
			return err
		}
		if _, err := st.Users().Get(ctx, owner); errors.Is(err, crm.ErrNotFound) {
			return crm.Invalid(op, crm.FieldError{Field: "owner_id", Message: "no such user"})
		} else if err != nil {
			return err
		}
		return enterLeadStage(ctx, st, *l, false) // the steps the lead could not get without an owner
	})
}

// changeLead loads lead id (locked), checks version (0: unconditional) inside the unit of work, applies rule and
// saves the lead, all in one unit of work; errors are wrapped once with op.
func (s *Service) changeLead(ctx context.Context, op string, id crm.ID, version int64, rule func(context.Context, Stores, *Lead) error) (Lead, error) {
	var out Lead
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		l, err := st.Leads().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, l.Version, version); err != nil {
			return err
		}
		if err := rule(ctx, st, &l); err != nil {
			return err
		}
		if err := st.Leads().Update(ctx, &l); err != nil {
			return err
		}
		out = l
		return nil
	})
	return out, wrap(op, err)
}

// GetLeadByExternalID returns the lead with the embedder's external ID; KindNotFound if there is none.
func (s *Service) GetLeadByExternalID(ctx context.Context, externalID string) (Lead, error) {
	var out Lead
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Leads().GetByExternalID(ctx, externalID)
		return err
	})
	return out, wrap("leads.Service.GetLeadByExternalID", err)
}

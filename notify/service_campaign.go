package notify

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// AftersalesLists is what campaigns need of the service side to find their audience: the cars whose
// maintenance is due and the warranties about to end (aftersales.Service has both).
type AftersalesLists interface {
	ListMaintenanceDue(ctx context.Context, days int) ([]aftersales.CarMaintenance, error)
	ListExpiringWarranties(ctx context.Context, days int, pr crm.PageRequest) (crm.Page[aftersales.Warranty], error)
}

// WithAftersales finds maintenance_due and warranty_expiring audiences through a (aftersales.Service).
func WithAftersales(a AftersalesLists) Option { return func(s *Service) { s.after = a } }

// CreateCampaign validates and saves a campaign (NewCampaign); its own template, when given, must render over
// SampleFacts. The acting user is recorded.
func (s *Service) CreateCampaign(ctx context.Context, in Campaign) (Campaign, error) {
	const op = "notify.Service.CreateCampaign"
	var tplErr error // named together with the campaign's other problems, not before them
	if in.Subject != "" {
		_, tplErr = s.PreviewTemplate(Template{Kind: KindCampaign, Language: "ru", Subject: in.Subject, Text: in.Text, HTML: in.HTML}, nil)
		if tplErr != nil && crm.KindOf(tplErr) != crm.KindInvalid {
			return Campaign{}, crm.Wrap(op, tplErr)
		}
	}
	var out Campaign
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		in.CreatedBy = crm.ActorFrom(ctx)
		c, err := NewCampaign(dealer, in, crm.Now(ctx))
		if tplErr != nil && (err == nil || crm.KindOf(err) == crm.KindInvalid) {
			var p crm.Problems
			p.Merge("", tplErr)
			p.Merge("", err)
			return p.Err(op)
		}
		if err != nil {
			return err
		}
		if err := st.Campaigns().Create(ctx, &c); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, crm.Wrap(op, err)
}

// GetCampaign returns a campaign; KindNotFound when missing or another dealer's.
func (s *Service) GetCampaign(ctx context.Context, id crm.ID) (Campaign, error) {
	var out Campaign
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Campaigns().Get(ctx, id)
		return err
	})
	return out, crm.Wrap("notify.Service.GetCampaign", err)
}

// ListCampaigns returns the dealer's campaigns, newest first.
func (s *Service) ListCampaigns(ctx context.Context) ([]Campaign, error) {
	var out []Campaign
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Campaigns().List(ctx)
		return err
	})
	return out, crm.Wrap("notify.Service.ListCampaigns", err)
}

// ListRecipients returns the campaign's recipients with their status; KindNotFound for an unknown campaign.
func (s *Service) ListRecipients(ctx context.Context, campaignID crm.ID) ([]Recipient, error) {
	var out []Recipient
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		if _, err := st.Campaigns().Get(ctx, campaignID); err != nil {
			return err
		}
		var err error
		out, err = st.Campaigns().ListRecipients(ctx, campaignID)
		return err
	})
	return out, crm.Wrap("notify.Service.ListRecipients", err)
}

// RunResult counts what one run of a campaign did.
type RunResult struct {
	Queued  int // new recipients whose message was queued
	Skipped int // new recipients skipped (unsubscribed, no address)
	Already int // people of the audience the campaign had already been run for: nothing sent again
}

// RunCampaign finds the campaign's audience now and, for each person it has not been run for, records a
// recipient and queues its message (one unit of work per person: the recipient and its message commit
// together). A person already recorded — by an earlier run or a run at the same time — is left alone: the store's
// unique (campaign, person) rule makes a re-run send nothing twice. Unsubscribed addresses and people without an
// address are recorded as skipped with the reason. A campaign scheduled in the future is refused
// (KindConflict naming scheduled_at).
func (s *Service) RunCampaign(ctx context.Context, id crm.ID) (RunResult, error) {
	const op = "notify.Service.RunCampaign"
	var c Campaign
	var box Mailbox
	var people []candidate
	now := crm.StorageTime(s.clock.Now())
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		if c, err = st.Campaigns().Get(ctx, id); err != nil {
			return err
		}
		box, err = mailboxIn(ctx, st)
		return err
	})
	if err != nil {
		return RunResult{}, crm.Wrap(op, err)
	}
	if c.ScheduledAt.After(now) {
		return RunResult{}, crm.Errorf(crm.KindConflict, crm.CodeConflict, op, "the campaign is scheduled for %s",
			c.ScheduledAt.Format(time.RFC3339))
	}
	if people, err = s.audience(ctx, c, now); err != nil {
		return RunResult{}, crm.Wrap(op, err)
	}
	var res RunResult
	for _, p := range people {
		outcome, err := s.addRecipient(ctx, c, box, p, now)
		if err != nil {
			return res, crm.Wrap(op, err)
		}
		switch outcome {
		case RecipientQueued:
			res.Queued++
		case RecipientSkipped:
			res.Skipped++
		default:
			res.Already++
		}
	}
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		cur, err := st.Campaigns().Get(ctx, id)
		if err != nil {
			return err
		}
		cur.LastRunAt = crm.Now(ctx)
		return st.Campaigns().Update(ctx, &cur)
	})
	return res, crm.Wrap(op, err)
}

// RunDueCampaigns runs, for the context's dealer, every campaign whose ScheduledAt has come and that has not run
// since (the background work of stack.Run). It returns how many messages it queued.
func (s *Service) RunDueCampaigns(ctx context.Context) (int, error) {
	cs, err := s.ListCampaigns(ctx)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now()
	queued := 0
	for _, c := range cs {
		if c.ScheduledAt.IsZero() || c.ScheduledAt.After(now) || !c.LastRunAt.IsZero() {
			continue
		}
		r, err := s.RunCampaign(ctx, c.ID)
		queued += r.Queued
		if err != nil {
			return queued, err
		}
	}
	return queued, nil
}

// candidate is one person of an audience.
type candidate struct {
	key        string
	leadID     crm.ID
	customerID crm.ID
	contact    contact
	facts      map[string]string
}

// addRecipient records p as a recipient of c and queues its message, in one unit of work; it returns the new
// recipient's status, or "" when p was recorded already.
func (s *Service) addRecipient(ctx context.Context, c Campaign, box Mailbox, p candidate, now time.Time) (RecipientStatus, error) {
	var status RecipientStatus
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		r := Recipient{Meta: crm.Meta{ID: crm.NewID()}, CampaignID: c.ID, Key: p.key, Name: p.contact.name}
		r.Channel, r.Address = chooseChannel(c.Channel, box.Prefer, p.contact)
		switch {
		case r.Address == "":
			r.Channel, r.Status, r.Reason = "", RecipientSkipped, SkipNoAddress
			r.Reason = skipReason(noChannel(c.Channel, p.contact))
		default:
			r.Status = RecipientQueued
		}
		if err := st.Campaigns().AddRecipient(ctx, &r); err != nil {
			return err
		}
		status = r.Status
		if r.Status != RecipientQueued {
			return nil
		}
		data := map[string]string{"campaign_id": c.ID.String(), "recipient_id": r.ID.String(), "campaign": c.Name,
			"channel": string(r.Channel)}
		for k, v := range p.facts {
			data[k] = v
		}
		if p.leadID != (crm.ID{}) {
			data["lead_id"] = p.leadID.String()
		}
		if p.customerID != (crm.ID{}) {
			data["customer_id"] = p.customerID.String()
		}
		return st.Outbox().Enqueue(ctx, &crm.Message{ID: r.ID, Topic: string(c.Kind), Recipient: r.Address,
			Subject: c.Name, Body: c.Name, Data: data, CreatedAt: now})
	})
	if err != nil && crm.KindOf(err) == crm.KindConflict {
		return "", nil // recorded by an earlier or concurrent run
	}
	return status, err
}

// audience resolves c's filter at now into people, each once.
func (s *Service) audience(ctx context.Context, c Campaign, now time.Time) ([]candidate, error) {
	var out []candidate
	seen := map[string]bool{}
	add := func(p candidate) {
		if !seen[p.key] {
			seen[p.key] = true
			out = append(out, p)
		}
	}
	a := c.Audience
	switch a.Kind {
	case AudienceMaintenanceDue, AudienceWarrantyExpiring:
		if s.after == nil {
			return nil, crm.Errorf(crm.KindUnavailable, crm.CodeUnavailable, "notify", "no aftersales lists are configured")
		}
	}
	var due []aftersales.CarMaintenance
	var ending []aftersales.Warranty
	var err error
	switch a.Kind {
	case AudienceMaintenanceDue:
		due, err = s.after.ListMaintenanceDue(ctx, a.Days)
	case AudienceWarrantyExpiring:
		pr := crm.PageRequest{Limit: crm.MaxPageLimit}
		for {
			var page crm.Page[aftersales.Warranty]
			if page, err = s.after.ListExpiringWarranties(ctx, a.Days, pr); err != nil {
				break
			}
			ending = append(ending, page.Items...)
			if page.NextCursor == "" {
				break
			}
			pr.Cursor = page.NextCursor
		}
	}
	if err != nil {
		return nil, err
	}
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		switch a.Kind {
		case AudienceTestDriveSoon:
			drives, err := st.TestDrives().ListBetween(ctx, now, now.Add(time.Duration(a.Days)*24*time.Hour))
			if err != nil {
				return err
			}
			loc := testDriveLocation(ctx, st)
			for _, d := range drives {
				if d.Status != leads.TestDriveBooked || !d.Start.After(now) {
					continue
				}
				v, _ := st.Vehicles().Get(ctx, d.VehicleID)
				facts := map[string]string{"test_drive_id": d.ID.String(), "vehicle": v.Name(),
					"start_local": d.Start.In(loc).Format(time.RFC3339)}
				p, err := person(ctx, st, d.LeadID, d.CustomerID, facts)
				if err != nil {
					return err
				}
				add(p)
			}
		case AudienceMaintenanceDue:
			for _, cm := range due {
				facts := map[string]string{"customer_vehicle_id": cm.CustomerVehicle.ID.String(), "vehicle": carName(cm.CustomerVehicle),
					"vin": string(cm.CustomerVehicle.VIN)}
				if !cm.Due.DueDate.IsZero() {
					facts["due_date"] = cm.Due.DueDate.Format("02.01.2006")
				}
				p, err := person(ctx, st, crm.ID{}, cm.CustomerVehicle.CustomerID, facts)
				if err != nil {
					return err
				}
				add(p)
			}
		case AudienceWarrantyExpiring:
			for _, w := range ending {
				cv, err := st.CustomerVehicles().Get(ctx, w.CustomerVehicleID)
				if err != nil {
					return err
				}
				facts := map[string]string{"customer_vehicle_id": cv.ID.String(), "vehicle": carName(cv), "vin": string(cv.VIN),
					"warranty_id": w.ID.String(), "valid_to": w.End.AddDate(0, 0, -1).Format("02.01.2006")}
				p, err := person(ctx, st, crm.ID{}, cv.CustomerID, facts)
				if err != nil {
					return err
				}
				add(p)
			}
		case AudienceBoughtModel:
			var after time.Time
			var afterID crm.ID
			for {
				page, err := st.CustomerVehicles().List(ctx, after, afterID, 200)
				if err != nil {
					return err
				}
				for _, cv := range page {
					if !strings.EqualFold(strings.TrimSpace(cv.Make), strings.TrimSpace(a.Make)) ||
						(a.Model != "" && !strings.EqualFold(strings.TrimSpace(cv.Model), strings.TrimSpace(a.Model))) {
						continue
					}
					facts := map[string]string{"customer_vehicle_id": cv.ID.String(), "vehicle": carName(cv),
						"make": cv.Make, "model": cv.Model}
					p, err := person(ctx, st, crm.ID{}, cv.CustomerID, facts)
					if err != nil {
						return err
					}
					add(p)
				}
				if len(page) < 200 {
					return nil
				}
				last := page[len(page)-1]
				after, afterID = last.CreatedAt, last.ID
			}
		}
		return nil
	})
	return out, err
}

// person is the lead (when given) or customer a campaign message goes to, with the addresses it consents to
// receive marketing at.
func person(ctx context.Context, st Stores, leadID, customerID crm.ID, facts map[string]string) (candidate, error) {
	p := candidate{leadID: leadID, customerID: customerID, facts: facts}
	fill := func(c crm.Contact) { p.contact.addPerson(c, crm.PurposeMarketing) }
	if leadID != (crm.ID{}) {
		p.key = "lead:" + leadID.String()
		l, err := st.Leads().Get(ctx, leadID)
		if err != nil && !errors.Is(err, crm.ErrNotFound) {
			return p, err
		}
		fill(l.Contact)
		if customerID == (crm.ID{}) {
			return p, nil
		}
	}
	if p.key == "" {
		p.key = "customer:" + customerID.String()
	}
	c, err := st.Customers().Get(ctx, customerID)
	if err != nil && !errors.Is(err, crm.ErrNotFound) {
		return p, err
	}
	fill(c.Contact)
	return p, nil
}

// campaignTemplate is the template of campaign message m: the campaign's own, when it has one.
func campaignTemplate(ctx context.Context, st Stores, m crm.Message) (Template, bool, error) {
	id, ok := dataID(m, "campaign_id")
	if !ok {
		return Template{}, false, nil
	}
	c, err := st.Campaigns().Get(ctx, id)
	if errors.Is(err, crm.ErrNotFound) {
		return Template{}, false, nil
	}
	if err != nil || c.Subject == "" {
		return Template{}, false, err
	}
	html := c.HTML
	if html == "" {
		html = htmlOf(c.Text)
	}
	return Template{Kind: c.Kind, Subject: c.Subject, Text: c.Text, HTML: html}, true, nil
}

// recordOutcome keeps a campaign message's delivery outcome on its recipient (sent, failed with the reason,
// skipped when unsubscribed meanwhile).
func (s *Service) recordOutcome(ctx context.Context, m crm.Message, sendErr error) {
	id, ok := dataID(m, "recipient_id")
	if !ok {
		return
	}
	_ = s.uow.Update(context.WithoutCancel(ctx), func(ctx context.Context, st Stores) error {
		r, err := st.Campaigns().GetRecipient(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case sendErr == nil:
			r.Status, r.Reason, r.SentAt = RecipientSent, "", crm.Now(ctx)
		case errors.Is(sendErr, ErrNoConsent), errors.Is(sendErr, ErrNoRecipient):
			r.Status, r.Reason = RecipientSkipped, skipReason(sendErr)
		default:
			r.Status, r.Reason = RecipientFailed, crm.MessageOf(sendErr)
			if r.Reason == "" || r.Reason == "internal error" {
				r.Reason = sendErr.Error()
			}
		}
		return st.Campaigns().UpdateRecipient(ctx, &r)
	})
}

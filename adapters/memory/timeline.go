package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/dealercrm/dealercrm/timeline"
)

type timelineStore struct{ tx *Tx }

// Timeline returns the customer-timeline reader of this unit of work: a merge of the records themselves.
func (tx *Tx) Timeline() timeline.Store { return timelineStore{tx} }

func (s timelineStore) Customer(ctx context.Context, customer crm.ID, after timeline.Position, limit int) ([]timeline.Item, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, err
	}
	var items []timeline.Item
	add := func(it timeline.Item) {
		if after.After(it) {
			items = append(items, it)
		}
	}
	ls, err := leadRecords.all(ctx, s.tx, func(l *leads.Lead) bool { return l.CustomerID == customer })
	if err != nil {
		return nil, err
	}
	// the activities, test drives and customer notices of the customer's leads belong to the customer too (a lead
	// linked later keeps them without a customer of their own)
	ofLead := make(map[crm.ID]bool, len(ls))
	for _, l := range ls {
		ofLead[l.ID] = true
	}
	acts, err := activityRecords.all(ctx, s.tx, func(a *activities.Activity) bool { return a.CustomerID == customer || ofLead[a.LeadID] })
	if err != nil {
		return nil, err
	}
	for _, a := range acts {
		add(timeline.Item{At: a.CreatedAt, Kind: timeline.ActivityCreated, Actor: a.CreatedBy, RecordType: timeline.RecordActivity,
			RecordID: a.ID, From: string(a.Kind), Text: a.Subject})
		switch {
		case a.CompletedAt.IsZero():
		case a.Status == activities.Cancelled:
			add(timeline.Item{At: a.CompletedAt, Kind: timeline.ActivityCancelled, Actor: a.CompletedBy, RecordType: timeline.RecordActivity,
				RecordID: a.ID, Seq: 1, From: string(a.Kind), Text: a.Subject})
		default:
			add(timeline.Item{At: a.CompletedAt, Kind: timeline.ActivityDone, Actor: a.CompletedBy, RecordType: timeline.RecordActivity,
				RecordID: a.ID, Seq: 1, From: string(a.Kind), Text: a.Result})
		}
	}
	for _, l := range ls {
		for i, h := range l.History {
			add(timeline.Item{At: h.At, Kind: timeline.LeadStage, Actor: h.By, RecordType: timeline.RecordLead, RecordID: l.ID, Seq: i,
				From: h.From, To: h.To, Text: h.Reason})
		}
	}
	drives, err := testDriveRecords.all(ctx, s.tx, func(d *leads.TestDrive) bool { return d.CustomerID == customer || ofLead[d.LeadID] })
	if err != nil {
		return nil, err
	}
	for _, d := range drives {
		add(timeline.Item{At: d.CreatedAt, Kind: timeline.TestDriveBooked, Actor: d.BookedBy, RecordType: timeline.RecordTestDrive,
			RecordID: d.ID, To: string(d.Status)})
	}
	sls, err := saleRecords.all(ctx, s.tx, func(x *sales.Sale) bool { return x.CustomerID == customer })
	if err != nil {
		return nil, err
	}
	for _, x := range sls {
		for i, h := range x.History {
			add(timeline.Item{At: h.At, Kind: timeline.SaleStage, Actor: h.By, RecordType: timeline.RecordSale, RecordID: x.ID, Seq: i,
				From: h.FromCode, To: h.ToCode, Text: h.Reason})
		}
	}
	apps, err := creditApplicationRecords.all(ctx, s.tx, func(a *credit.Application) bool { return a.CustomerID == customer })
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		for i, h := range a.History {
			add(timeline.Item{At: h.At, Kind: timeline.CreditState, Actor: h.By, RecordType: timeline.RecordCreditApplication,
				RecordID: a.ID, Seq: i, From: string(h.From), To: string(h.To), Text: h.Comment})
		}
	}
	sheets, err := appraisalRecords.all(ctx, s.tx, func(a *appraisal.Appraisal) bool { return a.CustomerID == customer })
	if err != nil {
		return nil, err
	}
	for _, a := range sheets {
		for i, h := range a.History {
			add(timeline.Item{At: h.At, Kind: timeline.AppraisalState, Actor: h.By, RecordType: timeline.RecordAppraisal,
				RecordID: a.ID, Seq: i, From: string(h.From), To: string(h.To), Text: h.Comment})
		}
	}
	visits, err := appointmentRecords.all(ctx, s.tx, func(a *aftersales.Appointment) bool { return a.CustomerID == customer })
	if err != nil {
		return nil, err
	}
	for _, a := range visits {
		add(timeline.Item{At: a.CreatedAt, Kind: timeline.ServiceAppointment, Actor: a.AdvisorID, RecordType: timeline.RecordServiceAppointment,
			RecordID: a.ID, To: string(a.Status)})
	}
	// the notices: those naming the customer, then those of its leads that do not name it (found once), each
	// through the dealer's outbox index (outboxTable), so no other customer's or dealer's message is read
	notice := func(m *crm.Message) {
		add(timeline.Item{At: m.CreatedAt, Kind: timeline.Notice, RecordType: timeline.RecordNotice, RecordID: m.ID,
			From: m.Topic, Text: m.Subject, Status: string(m.Status()), Reason: noticeReason(*m)})
	}
	outbox := outboxStore(s).table().index
	cust := customer.String()
	if l := outbox.grouped(dealer, "customer", customer); l != nil {
		l.ascend(nil, func(r *outboxRow) bool {
			if r.msg.Data["customer_id"] == cust {
				notice(&r.msg)
			}
			return true
		})
	}
	for lead := range ofLead {
		if l := outbox.grouped(dealer, "lead", lead); l != nil {
			l.ascend(nil, func(r *outboxRow) bool {
				if r.msg.Data["customer_id"] != cust { // else found above
					notice(&r.msg)
				}
				return true
			})
		}
	}
	sort.Slice(items, func(i, j int) bool { return timeline.Before(items[i], items[j]) })
	if len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

var _ timeline.Stores = (*Tx)(nil)

// noticeReason is why a notice is not sent (yet): its last failure; "" once sent.
func noticeReason(m crm.Message) string {
	if m.SentAt != nil {
		return ""
	}
	return m.LastError
}

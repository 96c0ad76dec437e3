package notify

import (
	"context"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// AudienceKind is whom a campaign is for.
type AudienceKind string

// The audiences.
const (
	// AudienceTestDriveSoon: the leads (or customers) with a booked test drive in the next Days days — the
	// mailing about the planned test-drive date.
	AudienceTestDriveSoon AudienceKind = "test_drive_soon"
	// AudienceMaintenanceDue: the owners of customer vehicles whose scheduled maintenance is due within Days days
	// (overdue included).
	AudienceMaintenanceDue AudienceKind = "maintenance_due"
	// AudienceWarrantyExpiring: the owners of cars whose warranty ends within Days days.
	AudienceWarrantyExpiring AudienceKind = "warranty_expiring"
	// AudienceBoughtModel: the customers who own a car of Make (and Model, when given).
	AudienceBoughtModel AudienceKind = "bought_model"
)

// AudienceKinds lists the audiences.
func AudienceKinds() []AudienceKind {
	return []AudienceKind{AudienceTestDriveSoon, AudienceMaintenanceDue, AudienceWarrantyExpiring, AudienceBoughtModel}
}

// Audience is a campaign's filter.
type Audience struct {
	Kind  AudienceKind
	Days  int    // test_drive_soon, maintenance_due, warranty_expiring: the horizon, 0 to 3660 days
	Make  string // bought_model
	Model string // bought_model: optional
}

// RecipientStatus is where one recipient of a campaign stands.
type RecipientStatus string

// The recipient statuses.
const (
	RecipientQueued  RecipientStatus = "queued"  // the message is in the outbox
	RecipientSent    RecipientStatus = "sent"    // the server or gateway took it
	RecipientFailed  RecipientStatus = "failed"  // the last attempt failed (Reason); the relay may retry it
	RecipientSkipped RecipientStatus = "skipped" // not sent, for Reason (no consent, no address, unsubscribed)
)

// RecipientStatuses lists the statuses.
func RecipientStatuses() []RecipientStatus {
	return []RecipientStatus{RecipientQueued, RecipientSent, RecipientFailed, RecipientSkipped}
}

// The reasons a recipient is skipped.
const (
	SkipNoAddress = "no address" // the person has no e-mail or phone (on the campaign's channel)
	// SkipNoConsent starts the reason of a person who has addresses but gave no consent to marketing on
	// their channels, or withdrew it (the unsubscribe link); the channels follow: "no consent on email".
	SkipNoConsent = "no consent"
)

// Campaign is a mailing: an audience, the template its messages are rendered with (its own Subject/Text/HTML, or
// the dealer's template of Kind), an optional channel, and when it may run.
type Campaign struct {
	crm.Meta
	Name     string
	Audience Audience
	Kind     Kind    // the template kind; default by audience (maintenance.due, warranty.expiring, campaign)
	Subject  string  // the campaign's own template (text/template); "" uses the dealer's template of Kind
	Text     string  // with Subject
	HTML     string  // html/template; "" renders the text as paragraphs
	Channel  Channel // "" picks per contact (Deliver's rule); otherwise only that channel is used
	// ScheduledAt is when the campaign may run from (zero: at once); Service.RunDueCampaigns runs it then.
	ScheduledAt time.Time
	LastRunAt   time.Time // zero until it first ran
	CreatedBy   crm.ID
}

// NewCampaign validates c and builds a campaign of dealer created at now; errors name the fields.
func NewCampaign(dealer crm.ID, c Campaign, now time.Time) (Campaign, error) {
	var p crm.Problems
	c.Name = strings.TrimSpace(c.Name)
	p.Require("name", c.Name)
	if len([]rune(c.Name)) > 200 {
		p.Add("name", "is longer than 200 characters")
	}
	switch c.Audience.Kind {
	case AudienceTestDriveSoon, AudienceMaintenanceDue, AudienceWarrantyExpiring:
		if c.Audience.Days < 0 || c.Audience.Days > 3660 {
			p.Add("audience.days", "must be between 0 and 3660")
		}
	case AudienceBoughtModel:
		p.Require("audience.make", strings.TrimSpace(c.Audience.Make))
	default:
		p.Add("audience.kind", "must be one of test_drive_soon, maintenance_due, warranty_expiring, bought_model")
	}
	if c.Kind == "" {
		switch c.Audience.Kind {
		case AudienceMaintenanceDue:
			c.Kind = KindMaintenanceDue
		case AudienceWarrantyExpiring:
			c.Kind = KindWarrantyExpiring
		default:
			c.Kind = KindCampaign
		}
	}
	if c.Kind != KindCampaign && c.Kind != KindMaintenanceDue && c.Kind != KindWarrantyExpiring && c.Kind != KindTestDriveReminder {
		p.Add("kind", "must be campaign, maintenance.due, warranty.expiring or test_drive.reminder")
	}
	if (c.Subject == "") != (c.Text == "") {
		p.Add("text", "a campaign's own template needs both subject and text")
	}
	if c.Channel != "" && c.Channel != ChannelEmail && c.Channel != ChannelSMS {
		p.Add("channel", "must be email or sms")
	}
	if err := p.Err("notify.NewCampaign"); err != nil {
		return Campaign{}, err
	}
	c.Meta = crm.NewMeta(dealer, now)
	c.ScheduledAt = c.ScheduledAt.UTC()
	return c, nil
}

// Recipient is one person a campaign was run for: at most one per campaign and person (Key), whatever the
// number of runs. Its ID is the ID of its outbox message.
type Recipient struct {
	crm.Meta
	CampaignID crm.ID
	Key        string // who: "lead:<id>" or "customer:<id>"
	Name       string
	Channel    Channel // "" when skipped for want of an address
	Address    string
	Status     RecipientStatus
	Reason     string    // why skipped, or the last failure
	SentAt     time.Time // when the server took it
}

// CampaignStore keeps the context's dealer's campaigns and their recipients.
type CampaignStore interface {
	// Get returns the campaign; KindNotFound when missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (Campaign, error)
	// Create saves a new campaign (Version 1).
	Create(ctx context.Context, c *Campaign) error
	// Update saves c if c.Version is the stored one (KindStaleVersion otherwise) and bumps it.
	Update(ctx context.Context, c *Campaign) error
	// List returns the dealer's campaigns, newest first.
	List(ctx context.Context) ([]Campaign, error)
	// AddRecipient saves a new recipient; crm.Duplicate (KindConflict) when the campaign has one with r.Key
	// already (a unique constraint on PostgreSQL), so a re-run never adds a person twice.
	AddRecipient(ctx context.Context, r *Recipient) error
	// GetRecipient returns a recipient; KindNotFound when missing.
	GetRecipient(ctx context.Context, id crm.ID) (Recipient, error)
	// UpdateRecipient saves r if r.Version is the stored one and bumps it.
	UpdateRecipient(ctx context.Context, r *Recipient) error
	// ListRecipients returns the campaign's recipients by creation, then ID.
	ListRecipients(ctx context.Context, campaignID crm.ID) ([]Recipient, error)
}

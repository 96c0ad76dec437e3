// Package stack assembles every dealercrm service over one storage backend in one call, for programs that embed
// the CRM (and for the example server, the scenario runner and the demo data).
//
// A backend is anything that hands out each domain's unit of work; *memory.DB and *postgres.DB both do:
//
//	db := memory.New()                          // or postgres.Open(ctx, url) + db.Migrate(ctx)
//	st := stack.New(db, crm.SystemClock{})      // catalog, leads, sales, aftersales, relay, files, contract renderers
//	d, _ := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
//	ctx = crm.WithDealer(ctx, d.ID)             // every call is scoped to one dealer
//	v, _ := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTAGFL110TY000001", Make: "Lada", Model: "Vesta", Year: 2026})
//	l, _ := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", Phones: []string{"+79000000000"}},
//		Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
//	now := st.Clock.Now()                     // book the first free slot: works at any hour
//	free, _ := st.Leads.ListFreeSlots(ctx, v.ID, now, now.Add(7*24*time.Hour))
//	_, _ = st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: free[0].Start})
//	v, _ = st.Catalog.GetVehicle(ctx, v.ID)     // v.Status == catalog.StatusReserved
//	_, _ = st.RelayAll(ctx)                     // deliver queued notices through the notifier
//
// A program that runs for a while starts the background work — the outbox relay and the end of run-out vehicle
// holds — with one call that returns when its context is done:
//
//	go st.Run(ctx, stack.WithRelayInterval(5*time.Second))
//
// The services are plain fields: call them directly, or hand them to adapters/httpapi to serve them over HTTP.
package stack

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/adapters/htmldoc"
	"github.com/dealercrm/dealercrm/adapters/noticetmpl"
	"github.com/dealercrm/dealercrm/adapters/pdf"
	"github.com/dealercrm/dealercrm/adapters/smtp"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/notify"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/dealercrm/dealercrm/playbooks"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/dealercrm/dealercrm/timeline"
)

// Backend is one storage backend: it runs transactions over every store it has, and crm.NewUnit turns it into
// each domain's unit of work. *memory.DB and *postgres.DB satisfy it.
type Backend = crm.Transactor

// Stack is every service of the CRM over one backend and one clock.
type Stack struct {
	Kernel     crm.UnitOfWork[crm.Stores] // dealers, users, customers, API keys, outbox, documents
	Catalog    *catalog.Service
	Leads      *leads.Service
	Sales      *sales.Service
	Aftersales *aftersales.Service
	// Customers creates, edits, finds and merges customers.
	Customers *customers.Service
	// Credit keeps the banks' credit programs and the sales' credit applications, and makes payment schedules.
	Credit *credit.Service
	// Appraisal keeps appraisal sheets (checklist, price, states, photos and documents in Files).
	Appraisal *appraisal.Service
	// Activities keeps the users' calls, meetings, e-mails, tasks and notes on leads, sales, customers and cars.
	Activities *activities.Service
	// Playbooks keeps the steps of each lead stage and sales stage (the «кейсы»), seeded with the dealer.
	Playbooks *playbooks.Service
	// Timeline reads a customer's timeline from the records (activities, leads, sales, credit, ...).
	Timeline *timeline.Service
	// Notify keeps the dealers' mailbox settings, notice templates and campaigns, queues reminders, and
	// delivers the outbox's notices by e-mail (through the dealer's own mailbox) or SMS.
	Notify *notify.Service
	// Plans keeps the sales plans and measures their progress.
	Plans *plans.Service
	// Analytics answers the sales analysis: funnel, conversion, time in stage, results, summary.
	Analytics *analytics.Service
	// Team manages the dealers' users and API keys. It notes every key it revokes in Revocations, so the
	// stack's HTTP handler (HTTPConfig) refuses the key from the moment RevokeAPIKey returns.
	Team *crm.Team
	// Revocations is the stack's record of revoked API keys, shared by Team, the handler's own Team and its
	// caching authenticator (HTTPConfig). It is this stack's alone: another stack of the process, like another
	// process, sees a revocation when its cached entry expires (httpapi.Config.AuthCacheTTL). A crm.Team of the
	// embedder's own gives it with crm.WithRevocations; a program that revokes keys by writing the store itself
	// calls Revocations.NoteKeyRevoked.
	Revocations *crm.Revocations
	// Relay delivers outbox messages through the notifier; see RelayAll and Run. Its settings (batch, lease,
	// attempts, backoff) may be changed before Run starts.
	Relay *crm.Relay
	// Files keeps the bytes of generated documents (default: files.Memory).
	Files crm.FileStore
	// ContractPDF renders purchase contracts as PDF (default: pdf.Renderer, the Russian contract in DejaVu Sans).
	ContractPDF sales.ContractRenderer
	// ContractHTML renders them as one printable HTML page (default: htmldoc.Renderer, the same wording).
	ContractHTML sales.ContractRenderer
	// Clock is the clock every service takes the time from.
	Clock crm.Clock

	directories crm.UnitOfWork[DirectoryStores] // AddDealer, SeedDirectories
	relaying    relaying                        // dealers whose relay is running (RelayAll)
}

// config collects the options of New.
type config struct {
	files    crm.FileStore
	pdf      sales.ContractRenderer
	html     sales.ContractRenderer
	notifier crm.Notifier
	fallback crm.Notifier
	mailer   notify.Mailer
	sms      notify.SMSSender
	unsub    notify.Unsubscribe
	leads    []leads.Config
}

// Option changes how New assembles the stack.
type Option func(*config)

// WithFiles keeps documents in fs instead of a fresh files.Memory.
func WithFiles(fs crm.FileStore) Option { return func(c *config) { c.files = fs } }

// WithContractRenderers renders purchase contracts with pdf and html instead of the default renderers (a nil
// one keeps its default). Pass a pdf.Renderer with your own Template to print your own contract.
func WithContractRenderers(pdf, html sales.ContractRenderer) Option {
	return func(c *config) { c.pdf, c.html = pdf, html }
}

// WithNotifier makes the relay hand outbox messages to n as they are queued, instead of delivering them
// through Notify (the dealer's mailbox, SMS, templates): for an embedder that delivers notices its own way.
func WithNotifier(n crm.Notifier) Option { return func(c *config) { c.notifier = n } }

// WithFallback hands Notify's messages that have no channel of the dealer's own — e-mail for a dealer without
// mailbox settings, SMS without an SMS sender — to n, rendered and addressed (default: DiscardNotifier, which
// drops them).
func WithFallback(n crm.Notifier) Option { return func(c *config) { c.fallback = n } }

// WithMailer sends the dealers' e-mail through m (default: an smtp.Mailer with the system's TLS roots).
func WithMailer(m notify.Mailer) Option { return func(c *config) { c.mailer = m } }

// WithSMS sends SMS through t (adapters/sms); without it SMS go to the fallback.
func WithSMS(t notify.SMSSender) Option { return func(c *config) { c.sms = t } }

// WithUnsubscribe signs campaign unsubscribe links with u.Key and points them at u.URL.
func WithUnsubscribe(u notify.Unsubscribe) Option { return func(c *config) { c.unsub = u } }

// WithLeadsConfig sets the test-drive schedule (slot length, working hours, time zone).
func WithLeadsConfig(cfg leads.Config) Option {
	return func(c *config) { c.leads = []leads.Config{cfg} }
}

// New assembles every service over b, taking the time from clock (crm.SystemClock{} when nil).
func New(b Backend, clock crm.Clock, opts ...Option) *Stack {
	if clock == nil {
		clock = crm.SystemClock{}
	}
	c := config{}
	for _, o := range opts {
		o(&c)
	}
	if c.files == nil {
		c.files = files.NewMemory()
	}
	if c.pdf == nil {
		c.pdf = pdf.Renderer{}
	}
	if c.html == nil {
		c.html = htmldoc.Renderer{}
	}
	if c.fallback == nil {
		c.fallback = DiscardNotifier{}
	}
	if c.mailer == nil {
		c.mailer = &smtp.Mailer{}
	}
	after := aftersales.NewService(crm.NewUnit[aftersales.Stores](b, clock), clock)
	nopts := []notify.Option{notify.WithMailer(c.mailer), notify.WithRenderer(noticetmpl.NewRenderer()),
		notify.WithFallback(c.fallback), notify.WithUnsubscribe(c.unsub), notify.WithAftersales(after)}
	if c.sms != nil {
		nopts = append(nopts, notify.WithSMS(c.sms))
	}
	notices := notify.NewService(crm.NewUnit[notify.Stores](b, clock), clock, nopts...)
	if c.notifier == nil {
		c.notifier = notices.Notifier()
	}
	revocations := new(crm.Revocations)
	return &Stack{
		Kernel:     crm.NewUnit[crm.Stores](b, clock),
		Catalog:    catalog.NewService(crm.NewUnit[catalog.Stores](b, clock), clock),
		Leads:      leads.NewService(crm.NewUnit[leads.Stores](b, clock), clock, c.leads...),
		Sales:      sales.NewService(crm.NewUnit[sales.Stores](b, clock), clock),
		Aftersales: after,
		Customers:  customers.NewService(crm.NewUnit[customers.Stores](b, clock)),
		Credit:     credit.NewService(crm.NewUnit[credit.Stores](b, clock), clock),
		Appraisal: appraisal.NewService(crm.NewUnit[appraisal.Stores](b, clock), clock, appraisal.WithFiles(c.files),
			appraisal.WithSniffer(http.DetectContentType)),
		Activities:   activities.NewService(crm.NewUnit[activities.Stores](b, clock), clock),
		Playbooks:    playbooks.NewService(crm.NewUnit[playbooks.Stores](b, clock)),
		Timeline:     timeline.NewService(crm.NewUnit[timeline.Stores](b, clock)),
		Notify:       notices,
		Plans:        plans.NewService(crm.NewUnit[plans.Stores](b, clock), clock),
		Analytics:    analytics.NewService(crm.NewUnit[analytics.Stores](b, clock)),
		Team:         crm.NewTeam(crm.NewUnit[crm.Stores](b, clock), clock, crm.WithRevocations(revocations)),
		Revocations:  revocations,
		Relay:        crm.NewRelay(crm.NewUnit[crm.Stores](b, clock), c.notifier, clock),
		Files:        c.files,
		ContractPDF:  c.pdf,
		ContractHTML: c.html,
		Clock:        clock,
		directories:  crm.NewUnit[DirectoryStores](b, clock),
	}
}

// DiscardNotifier accepts every message and delivers it nowhere.
type DiscardNotifier struct{}

// Send does nothing and reports success.
func (DiscardNotifier) Send(context.Context, crm.Message) error { return nil }

// NotifierFunc adapts a function to crm.Notifier.
type NotifierFunc func(ctx context.Context, m crm.Message) error

// Send calls f.
func (f NotifierFunc) Send(ctx context.Context, m crm.Message) error { return f(ctx, m) }

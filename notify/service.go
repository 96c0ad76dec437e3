package notify

import (
	"github.com/dealercrm/dealercrm/crm"
)

// Service keeps the dealers' mailbox settings, templates and campaigns, and delivers notices (Notifier). Each
// method runs in its own units of work; the dealer comes from the context (crm.WithDealer). Sending never happens
// inside a unit of work.
type Service struct {
	uow      crm.UnitOfWork[Stores]
	clock    crm.Clock
	mailer   Mailer
	sms      SMSSender
	render   Renderer
	fallback crm.Notifier
	unsub    Unsubscribe
	after    AftersalesLists
}

// Option configures NewService.
type Option func(*Service)

// WithMailer sends e-mail through m (adapters/smtp.Mailer).
func WithMailer(m Mailer) Option { return func(s *Service) { s.mailer = m } }

// WithSMS sends SMS through t (adapters/sms).
func WithSMS(t SMSSender) Option { return func(s *Service) { s.sms = t } }

// WithRenderer renders templates with r (adapters/noticetmpl.NewRenderer).
func WithRenderer(r Renderer) Option { return func(s *Service) { s.render = r } }

// WithFallback hands a message that has no channel of the dealer's own — e-mail to a dealer with no mailbox
// settings, SMS without an SMSSender — to n instead (the example server logs them). Without it such a message
// fails permanently with the reason.
func WithFallback(n crm.Notifier) Option { return func(s *Service) { s.fallback = n } }

// WithUnsubscribe signs unsubscribe links with u.Key and points them at u.URL.
func WithUnsubscribe(u Unsubscribe) Option { return func(s *Service) { s.unsub = u } }

// NewService returns a service over uow, telling time with clock (crm.SystemClock when nil). It panics when uow
// is nil: that is a wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock, opts ...Option) *Service {
	if uow == nil {
		panic("notify.NewService: nil unit of work")
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
	s := &Service{uow: uow, clock: clock}
	for _, o := range opts {
		o(s)
	}
	return s
}

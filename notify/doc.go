// Package notify delivers the dealer's notices to the people they are for: each dealer's mailbox settings (the
// corporate SMTP mailbox notices are sent from), the choice of channel (e-mail or SMS) per message, templates
// per dealer, kind and language, reminders before test drives and service appointments, and marketing
// campaigns with per-recipient status, consent and unsubscribe.
//
// Notices are outbox messages (crm.Message) queued by the domains in their business transactions; the relay
// (crm.Relay) hands each to Service.Notifier after commit, which picks the channel, renders the dealer's
// template and sends it through the Mailer or SMSSender port. The ports are implemented by adapters:
// adapters/smtp (SMTP with STARTTLS or implicit TLS, AUTH PLAIN, LOGIN and XOAUTH2), adapters/sms (a recorder
// and an HTTP gateway) and adapters/noticetmpl (text/template and html/template, so customer data never injects
// markup). Secrets of a mailbox (password, OAuth client secret and refresh token) are write-only: they are kept
// to send with, replaced by a new value, and never shown: Secret prints, logs and encodes as "[redacted]".
//
// notify sits above every other domain (it reads test drives, appointments, customer vehicles and warranties to
// find whom to tell) and nothing imports it but the adapters.
package notify

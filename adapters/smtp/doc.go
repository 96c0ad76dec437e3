// Package smtp sends the dealer's e-mail through its own mailbox (notify.Mailer) over SMTP with
// github.com/emersion/go-smtp, and holds Catcher, a small in-process SMTP server that keeps what it receives
// (the example server's -smtp-catcher, and the tests' real server).
//
// Mailer connects with STARTTLS (refused when the server does not offer it) or implicit TLS, logs in with
// AUTH PLAIN, LOGIN or XOAUTH2 (an access token from a TokenSource: by default the OAuth 2 refresh-token grant
// at the mailbox's token URL, as Google's corporate mailboxes use), and sends one MIME message: UTF-8 headers
// encoded per RFC 2047, a multipart/alternative body with text/plain and text/html parts in quoted-printable,
// and a Message-ID derived from the outbox message ID, so every attempt of one message carries the same
// Message-ID. Every network step has a deadline (the context's, or Timeout). A 5xx answer is permanent
// (crm.Permanent: the relay makes the message a dead letter at once); a 4xx answer or a network failure is
// temporary and retried by the relay with backoff. No error or reply ever carries a secret of the mailbox.
package smtp

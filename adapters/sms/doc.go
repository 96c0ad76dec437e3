// Package sms sends the dealers' SMS notices (notify.SMSSender): Recorder keeps them in memory (tests, demos) and
// Gateway posts them to an HTTP SMS gateway.
//
// The gateway shape, for embedders who put their provider behind a small service of their own (or whose provider
// speaks it): one request per message,
//
//	POST {URL}
//	Authorization: Bearer {Token}
//	Idempotency-Key: {outbox message ID}      (the same on every attempt: deduplicate by it)
//	Content-Type: application/json
//
//	{"id": "<outbox message ID>", "to": "+79001234567", "text": "…", "sender": "{Sender}"}
//
// answered 2xx when accepted. A 4xx answer other than 408 and 429 is permanent (the relay makes the message a
// dead letter at once: a bad number, a refused sender); 408, 429, 5xx and network failures are retried with
// backoff. The answer's body is not read beyond 4 KiB and never logged.
package sms

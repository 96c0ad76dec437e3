// Package httpapi is dealercrm's JSON REST API as a plain http.Handler, for an embedder to mount in its own
// server (examples/server is one). It adapts HTTP to the domain services and holds no business rule.
//
//	h, err := httpapi.New(httpapi.Config{
//		Kernel:           crm.NewUnit[crm.Stores](db, clock),
//		Catalog:          catalog.NewService(crm.NewUnit[catalog.Stores](db, clock), clock),
//		Leads:            leads.NewService(crm.NewUnit[leads.Stores](db, clock), clock),
//		Sales:            sales.NewService(crm.NewUnit[sales.Stores](db, clock), clock),
//		CustomerVehicles: aftersales.NewService(crm.NewUnit[aftersales.Stores](db, clock), clock),
//		Logger:           slog.Default(),
//	})
//	http.ListenAndServe("127.0.0.1:8080", h)
//
// # Conventions
//
//   - Paths live under /api/v1; /healthz, /readyz and /openapi.json (the OpenAPI 3 document, built from the
//     same route table the mux is built from) need no authentication.
//   - JSON is snake_case; money is {"amount": "1234.50", "currency": "RUB"} with the amount as a string; times
//     are RFC 3339 in UTC; optional IDs and times are null when absent.
//   - Authentication: "Authorization: Bearer <token>" (an API key). A missing or unknown token is a 401 with
//     WWW-Authenticate: Bearer. The user's dealer scopes every request: no path, query or body names a dealer,
//     and another dealer's record answers 404 exactly like a missing one.
//   - Roles: admin does everything; sales_manager writes the catalog, leads, test drives, sales, orders and
//     contracts; admin, sales_manager and service_advisor write customers (customer vehicles are created by
//     winning a sale); directories (need types, lead stages, sales stages) are written by admin only; read_only
//     reads.
//     Everyone reads everything of their dealer. A role without the right gets 403, before anything is read.
//   - Errors are application/problem+json (RFC 9457) with type, title, status, detail and, for invalid input,
//     errors: [{field, message}]. One table maps the kernel's error kinds: invalid 422, not found 404, conflict
//     409, stale version 412, forbidden 403, unauthenticated 401, anything else 500 (whose text is logged, never
//     sent). Malformed JSON is a 400; an unknown field or a value of the wrong type a 422 naming the field; a body
//     over Limits.MaxBodyBytes a 413; an unsupported Content-Type a 415.
//   - A path segment that should be an ID but is not a UUID is a 404: it names no record, just as an unknown or
//     another dealer's ID does. IDs in bodies and query parameters that are not UUIDs are 422s naming the field.
//   - Optimistic concurrency: a single record is served with ETag: "<version>"; a write honours If-Match: "<version>"
//     (W/ is accepted) and answers 412 when the record has moved on. If-Match is optional: without it (or with *)
//     the write applies to the current version. The version is checked by the service inside the unit of work
//     that writes, so of many writes sent with one If-Match exactly one succeeds and the rest get 412. PATCH
//     bodies are JSON merge patches (RFC 7396) of the create body.
//   - Idempotency: every write (POST, PATCH, DELETE) accepts Idempotency-Key. The first response with a status
//     below 500 is kept per dealer, user and key for 24 hours (by Config.Clock) with a hash of method, path,
//     query and body; a retry gets it back byte for byte (with Idempotent-Replayed: true); the key with another
//     request is a 422 naming Idempotency-Key; a duplicate arriving while the first still runs waits for it.
//     A 5xx is not kept, so a retry runs again.
//   - Lists are {"items": [...], "next_cursor": "..." | null} with ?limit= (default 50, 1 to 200, else 422
//     naming limit) and ?cursor= (the previous page's next_cursor; opaque).
//   - Each request runs under a deadline (Limits.RequestTimeout, then 503), has an X-Request-Id (the caller's,
//     or a fresh one) and is logged once with log/slog (method, path, status, duration, request id, dealer,
//     user). A panic is recovered, logged with its stack and answered 500.
package httpapi

// Package runner runs dealership scenarios written as JSON files against an HTTP handler: each scenario gets a
// fresh system (an Env: in memory, NewMemoryEnv; on a PostgreSQL database of its own, NewPostgresFactory; or a
// running server, NewRemoteFactory) with its own manual clock, creates its dealers and users with API keys,
// then sends its requests in order, checks each response against the expectations (status, JSON values by dotted
// path, headers, content type, body text), saves values for later steps, and moves the clock when told.
//
// The file format is documented for testers in docs/scenarios.md; the command is examples/scenarios.
package runner

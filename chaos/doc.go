// Package chaos holds the fault and attack tests of dealercrm and the one tool they share: Proxy, a TCP proxy
// that can be cut, standing between a program and its database.
//
// The deterministic tests (a lost connection retried, an outage answered 503, backends terminated under load)
// run with the normal suite against the test database (DEALERCRM_TEST_DATABASE_URL). The heavy ones — kill -9 of
// a real server process with requests in flight — are behind the build tag chaos:
//
//	scripts/chaos            # or: go test -tags chaos -count=1 -v ./chaos
//
// Each prints its figures (requests sent, 5xx seen, partial states found, stuck keys), which docs/reliability.md
// summarises.
package chaos

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/stack"
)

// config is what the command line and the environment ask for.
type config struct {
	addr            string        // where to listen
	postgres        string        // PostgreSQL URL; "" for memory
	driver          string        // the PostgreSQL driver: pq (lib/pq) or pgx
	maxConns        int           // how many connections to PostgreSQL the process keeps at most
	demo            bool          // seed demo data (memory, or an empty database) and print demo tokens
	seed            uint64        // the demo data's random seed
	bootstrapAdmin  string        // a dealer name: create it with an admin user and print the admin's token
	logFormat       string        // text or json
	logLevel        slog.Level    // the least level logged
	logBuffer       time.Duration // batch log lines and write them at least this often; 0 writes each line at once
	logSampleGETs   int           // log one in this many successful GETs (httpapi.Config.LogSuccessfulGETs)
	relayEvery      time.Duration // how often the outbox relay runs
	expiryEvery     time.Duration // how often run-out vehicle holds are ended
	shutdownTimeout time.Duration // how long in-flight requests get on SIGINT/SIGTERM
	filesDir        string        // where generated documents are kept; "" keeps them in memory
	authCache       time.Duration // how long a token's user is remembered; 0 reads the key on every request
	corsOrigins     []string      // browser origins allowed to call the API from their own pages
	smtpCatcher     string        // where to run the in-process SMTP catcher; "" runs none
	unsubscribeKey  string        // signs campaign unsubscribe links; "" makes a random one per process
	pprof           string        // where to serve net/http/pprof; "" serves none
}

// parseConfig reads the flags in args; getenv supplies DATABASE_URL when -postgres is not given.
func parseConfig(args []string, getenv func(string) string, errOut io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	fs.StringVar(&c.postgres, "postgres", "", "PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/dealercrm?sslmode=disable\n"+
		"(default $DATABASE_URL; in-memory storage when neither is set)")
	fs.StringVar(&c.driver, "driver", "pq", "PostgreSQL driver: pq (lib/pq) or pgx (pgx's database/sql driver, adapters/postgres/pgxdb)")
	fs.IntVar(&c.maxConns, "postgres-max-conns", postgres.DefaultMaxConns, "how many connections to PostgreSQL to keep at most (about four per core of the database's machine)")
	fs.BoolVar(&c.demo, "demo", true, "seed demo data (in memory, or when the database has no dealers) and print a token per demo user")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed of the demo data")
	fs.StringVar(&c.bootstrapAdmin, "bootstrap-admin", "", "create a dealer of this name (if missing) with an admin user, and print a fresh admin token")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format on standard error: text or json")
	fs.TextVar(&c.logLevel, "log-level", slog.LevelInfo, "least level logged: debug, info (one line per request), warn or error")
	fs.DurationVar(&c.logBuffer, "log-buffer", 0, "batch log lines in memory and write them out at least this often (e.g. 100ms; 0: each line at once)")
	fs.IntVar(&c.logSampleGETs, "log-sample-gets", 0, "log only one in this many GET requests answered 2xx (0 or 1: every request)")
	fs.DurationVar(&c.relayEvery, "relay-interval", stack.DefaultRelayInterval, "how often queued notices are delivered (dealers without mailbox settings: to the log)")
	fs.DurationVar(&c.expiryEvery, "expiry-interval", stack.DefaultExpiryInterval, "how often vehicle holds whose time has run out are ended")
	fs.DurationVar(&c.authCache, "auth-cache", 5*time.Second, "how long a bearer token's user is remembered (0: read on every request)")
	fs.Func("cors-origins", "comma-separated browser origins allowed to call the API (e.g. http://127.0.0.1:5173); none by default", func(v string) error {
		for _, o := range strings.Split(v, ",") {
			if o = strings.TrimSpace(o); o != "" {
				c.corsOrigins = append(c.corsOrigins, o)
			}
		}
		return nil
	})
	fs.StringVar(&c.smtpCatcher, "smtp-catcher", "", "run an SMTP catcher in this process at this address (e.g. 127.0.0.1:2525): dealers\n"+
		"without mailbox settings get settings pointing at it, and what it receives is listed at /dev/mail\n"+
		"to a token of the dealer it was sent for (development only)")
	fs.StringVar(&c.unsubscribeKey, "unsubscribe-key", "", "the key signing campaign unsubscribe links (default $DEALERCRM_UNSUBSCRIBE_KEY;\n"+
		"a random one per process when neither is set: links then end with the process)")
	fs.StringVar(&c.pprof, "pprof", "", "serve the runtime profiles (net/http/pprof, /debug/pprof/) on a listener of their own at this address\n"+
		"(e.g. 127.0.0.1:6060; none by default: for profiling, never on a public address)")
	fs.StringVar(&c.filesDir, "files", "", "directory for generated documents (contract PDFs); in memory when empty")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "grace period for in-flight requests on SIGINT/SIGTERM")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: server [flags]\n\nServes the dealercrm JSON API (see /openapi.json).\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if c.postgres == "" {
		c.postgres = getenv("DATABASE_URL")
	}
	if c.unsubscribeKey == "" {
		c.unsubscribeKey = getenv("DEALERCRM_UNSUBSCRIBE_KEY")
	}
	if c.driver != "pq" && c.driver != "pgx" {
		return c, errors.New("-driver must be pq or pgx")
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return c, errors.New("-log-format must be text or json")
	}
	if c.maxConns < 1 {
		return c, errors.New("-postgres-max-conns must be at least 1")
	}
	if c.authCache < 0 {
		return c, errors.New("-auth-cache must not be negative")
	}
	if c.relayEvery <= 0 || c.expiryEvery <= 0 || c.shutdownTimeout <= 0 {
		return c, errors.New("-relay-interval, -expiry-interval and -shutdown-timeout must be positive")
	}
	return c, nil
}

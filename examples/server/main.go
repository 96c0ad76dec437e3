// Command server serves the dealercrm JSON API over HTTP.
//
//	go run ./examples/server                      # 127.0.0.1:8080, in memory, with demo data and tokens
//	go run ./examples/server -addr 127.0.0.1:9090 -postgres 'postgres://postgres@127.0.0.1:5432/dealercrm?sslmode=disable'
//	go run ./examples/server -demo=false -bootstrap-admin 'Мой автосалон'
//
// Standard output carries only what scripts read: one "demo token: dealer=<name> role=<role> token=<token>" line
// per demo user (fresh keys at every start), a "bootstrap token: ..." line for -bootstrap-admin, and
// "listening on http://<addr>" once the port is open. Logs go to standard error. SIGINT or SIGTERM shut the
// server down gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

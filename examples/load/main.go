// Command load drives a running dealercrm server over loopback, one route after another, and reports requests
// per second and latency percentiles. Every run is bounded: it stops after -duration (split evenly across the
// routes) or -max-requests per route, whichever comes first.
//
//	go run ./examples/server &                     # prints demo tokens
//	go run ./examples/load -token <sales manager or admin token> -duration 12s -concurrency 8
//	go run ./examples/load -baseline               # the same load on a bare net/http handler, in-process
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/examples/load/loadgen"
)

// options are the command-line flags.
type options struct {
	addr        string
	token       string
	duration    time.Duration
	concurrency int
	maxRequests int
	routes      string
	baseline    bool
	markdown    bool
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "http://127.0.0.1:8080", "the server's base URL (or host:port)")
	flag.StringVar(&o.token, "token", "", "bearer token of an admin or sales manager (the server prints demo tokens)")
	flag.DurationVar(&o.duration, "duration", 12*time.Second, "total duration, split evenly across the routes")
	flag.IntVar(&o.concurrency, "concurrency", 8, "concurrent workers")
	flag.IntVar(&o.maxRequests, "max-requests", 100000, "at most this many requests per route")
	flag.StringVar(&o.routes, "routes", strings.Join(loadgen.RouteOrder, ","), "routes to load: get, list, lead, drive")
	flag.BoolVar(&o.baseline, "baseline", false, "load a bare net/http handler serving the same JSON, started in-process on 127.0.0.1:0")
	flag.BoolVar(&o.markdown, "markdown", false, "also print the results as a Markdown table")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// run sets the target up, loads each route in turn and prints the report.
func run(ctx context.Context, o options, out io.Writer) error {
	routes := strings.Split(o.routes, ",")
	if o.concurrency < 1 || o.duration <= 0 || len(routes) == 0 {
		return errors.New("-concurrency and -duration must be positive")
	}
	target := loadgen.Target{Base: o.addr, Token: o.token, Client: loadgen.NewClient(o.concurrency)}
	if !strings.Contains(target.Base, "://") {
		target.Base = "http://" + target.Base
	}
	name := "dealercrm API"
	if o.baseline {
		stop, base, err := startBaseline()
		if err != nil {
			return err
		}
		defer stop()
		target.Base, target.Token, name = base, "baseline", "bare net/http baseline"
	}
	if target.Token == "" {
		return errors.New("-token is required (an admin or sales manager token; the server prints demo tokens)")
	}
	fx, err := loadgen.Setup(ctx, target, o.concurrency)
	if err != nil {
		return err
	}
	all := target.Routes(fx)
	per := o.duration / time.Duration(len(routes))
	fmt.Fprintf(out, "%s at %s: %d workers, %s per route, at most %d requests per route; GOMAXPROCS %d, %d CPUs\n",
		name, target.Base, o.concurrency, per, o.maxRequests, runtime.GOMAXPROCS(0), runtime.NumCPU())
	loadgen.PrintHeader(out)
	var results []loadgen.Result
	for _, r := range routes {
		rt, ok := all[strings.TrimSpace(r)]
		if !ok {
			return fmt.Errorf("unknown route %q (known: %s)", r, strings.Join(loadgen.RouteOrder, ", "))
		}
		res := loadgen.Run(ctx, target.Client, rt, loadgen.Limits{Duration: per, MaxRequests: o.maxRequests, Concurrency: o.concurrency})
		loadgen.Print(out, res)
		results = append(results, res)
	}
	if o.markdown {
		fmt.Fprintln(out)
		loadgen.PrintMarkdown(out, results)
	}
	return nil
}

// startBaseline serves loadgen.Baseline on a free loopback port and returns how to stop it and its base URL.
func startBaseline() (func(), string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{Handler: loadgen.Baseline(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return func() { _ = srv.Close() }, "http://" + ln.Addr().String(), nil
}

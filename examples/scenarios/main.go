// Command scenarios runs dealership scenarios written as JSON files against the real services and HTTP API, and
// reports each step. By default each scenario runs in memory with a controllable clock; -postgres runs each on a
// fresh PostgreSQL database of its own, so the same files prove both adapters; -base runs them against a server
// that is already running. It exits 1 when an expectation fails, 2 when a file or flag is wrong.
//
//	go run ./examples/scenarios                      # the shipped scenarios (examples/scenarios/scenarios)
//	go run ./examples/scenarios -v my.json dir/      # files and directories of your own, verbosely
//	go run ./examples/scenarios -run 'test drive'    # only the scenarios whose name or file matches
//	go run ./examples/scenarios -postgres 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
//	DEALERCRM_TOKEN_MARIA=dcrm_… go run ./examples/scenarios -base http://127.0.0.1:8080 my.json
//	go run ./examples/scenarios -junit report.xml    # also write a JUnit XML report for CI
//
// The file format is described in docs/scenarios.md.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"runtime"

	"github.com/dealercrm/dealercrm/examples/scenarios/runner"
)

//go:embed scenarios
var shipped embed.FS

// options are the command line's flags.
type options struct {
	verbose  bool
	postgres string         // run each scenario on a fresh database of this server
	base     string         // run against this running server
	run      *regexp.Regexp // only scenarios whose name or file matches
	junit    string         // write a JUnit XML report here
	parallel int            // scenarios run at once
	getenv   func(string) string
}

func main() {
	o, args, err := parseFlags(os.Args[1:], os.Stderr)
	if err == flag.ErrHelp {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scenarios:", err)
		os.Exit(2)
	}
	os.Exit(run(context.Background(), args, o, os.Stdout, os.Stderr))
}

// parseFlags reads the command line.
func parseFlags(argv []string, errOut io.Writer) (options, []string, error) {
	o := options{getenv: os.Getenv}
	fs := flag.NewFlagSet("scenarios", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.BoolVar(&o.verbose, "v", false, "print every request and response")
	fs.StringVar(&o.postgres, "postgres", "", "run each scenario on a fresh database of this PostgreSQL server (a postgres:// URL whose user may create databases)")
	fs.StringVar(&o.base, "base", "", "run against a running server at this URL; user tokens come from DEALERCRM_TOKEN_<USER>; scenarios that move the clock are skipped")
	pattern := fs.String("run", "", "run only the scenarios whose name or file name matches this regular expression")
	fs.StringVar(&o.junit, "junit", "", "write a JUnit XML report to this file")
	fs.IntVar(&o.parallel, "parallel", runtime.GOMAXPROCS(0), "how many scenarios run at once (against -base always one)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: scenarios [flags] [scenario files or directories...]\n"+
			"Without arguments it runs the shipped scenarios. The format is described in docs/scenarios.md.\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(argv); err != nil {
		return o, nil, err
	}
	if *pattern != "" {
		re, err := regexp.Compile(*pattern)
		if err != nil {
			return o, nil, fmt.Errorf("-run: %w", err)
		}
		o.run = re
	}
	if o.postgres != "" && o.base != "" {
		return o, nil, fmt.Errorf("give -postgres or -base, not both")
	}
	if o.parallel < 1 {
		return o, nil, fmt.Errorf("-parallel must be at least 1")
	}
	return o, fs.Args(), nil
}

// run loads the scenarios named by args (the shipped ones when there are none), keeps those -run picks, runs them
// where the options say, reports on stdout (and in the JUnit file), and returns the exit code: 0 when no scenario
// failed, 1 when one did, 2 when a file, the database or the report cannot be used.
func run(ctx context.Context, args []string, o options, stdout, stderr io.Writer) int {
	var scs []*runner.Scenario
	var err error
	if len(args) == 0 {
		sub, _ := fs.Sub(shipped, "scenarios")
		scs, err = runner.LoadDir(sub, ".")
	} else {
		scs, err = runner.LoadPaths(args)
	}
	if err != nil {
		fmt.Fprintln(stderr, "scenarios:", err)
		return 2
	}
	if o.run != nil {
		kept := scs[:0]
		for _, sc := range scs {
			if o.run.MatchString(sc.Name) || o.run.MatchString(sc.File()) {
				kept = append(kept, sc)
			}
		}
		scs = kept
		if len(scs) == 0 {
			fmt.Fprintf(stderr, "scenarios: -run %q matches no scenario\n", o.run)
			return 2
		}
	}
	r := &runner.Runner{New: runner.NewMemoryEnv, Out: stdout, Verbose: o.verbose, Parallel: o.parallel}
	suite := "scenarios (memory)"
	switch {
	case o.postgres != "":
		f, err := runner.NewPostgresFactory(ctx, o.postgres)
		if err != nil {
			fmt.Fprintln(stderr, "scenarios:", err)
			return 2
		}
		defer f.Close()
		r.New, suite = f.New, "scenarios (postgres)"
	case o.base != "":
		getenv := o.getenv
		f, err := runner.NewRemoteFactory(o.base, func(alias string) string { return getenv(runner.TokenVar(alias)) })
		if err != nil {
			fmt.Fprintln(stderr, "scenarios:", err)
			return 2
		}
		r.New, r.Parallel, suite = f, 1, "scenarios ("+o.base+")"
	}
	results := r.RunAll(ctx, scs)
	if o.junit != "" {
		if err := writeJUnit(o.junit, suite, results); err != nil {
			fmt.Fprintln(stderr, "scenarios: -junit:", err)
			return 2
		}
	}
	if !runner.AllOK(results) {
		return 1
	}
	return 0
}

// writeJUnit writes the JUnit XML report to path.
func writeJUnit(path, suite string, results []runner.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := runner.WriteJUnit(f, suite, results); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Command scenarios runs dealership scenarios written as JSON files against the real services and HTTP API in
// memory, with a controllable clock, and reports each step. It exits 1 when an expectation fails, 2 when a file
// cannot be read.
//
//	go run ./examples/scenarios                 # the shipped scenarios (examples/scenarios/scenarios)
//	go run ./examples/scenarios -v my.json dir/ # files and directories of your own, verbosely
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

	"github.com/dealercrm/dealercrm/examples/scenarios/runner"
)

//go:embed scenarios
var shipped embed.FS

func main() {
	verbose := flag.Bool("v", false, "print every request and response")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: scenarios [-v] [scenario files or directories...]\n"+
			"Without arguments it runs the shipped scenarios. The format is described in docs/scenarios.md.\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	os.Exit(run(context.Background(), flag.Args(), *verbose, os.Stdout, os.Stderr))
}

// run loads and runs the scenarios named by args (the shipped ones when there are none), reporting on stdout,
// and returns the exit code: 0 when every scenario passed, 1 when one failed, 2 when a file cannot be read.
func run(ctx context.Context, args []string, verbose bool, stdout, stderr io.Writer) int {
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
	r := &runner.Runner{New: runner.NewMemoryEnv, Out: stdout, Verbose: verbose}
	if !r.RunAll(ctx, scs) {
		return 1
	}
	return 0
}

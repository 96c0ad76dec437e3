package runner

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// The JUnit XML report, as CI systems (Jenkins, GitLab, GitHub actions' test reporters) read it: one test case per
// scenario, its failure message and its whole report as system-out.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitMessage `xml:"failure,omitempty"`
		Error     *junitMessage `xml:"error,omitempty"`
		Skipped   *junitMessage `xml:"skipped,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitMessage struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
)

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// WriteJUnit writes results as a JUnit XML report with one test suite named suite: a scenario that failed a step
// is a failure, one that could not be set up an error, one refused by its Env (clock steps against a running
// server) skipped.
func WriteJUnit(w io.Writer, suite string, results []Result) error {
	s := junitSuite{Name: suite, Tests: len(results)}
	var total time.Duration
	for _, res := range results {
		total += res.Elapsed
		c := junitCase{Name: res.Scenario, Classname: res.File, Time: seconds(res.Elapsed), SystemOut: res.Report}
		switch {
		case res.Refused != "":
			s.Skipped++
			c.Skipped = &junitMessage{Message: res.Refused}
		case res.Err != nil:
			s.Errors++
			c.Error = &junitMessage{Message: res.Err.Error(), Text: res.Failure}
		case res.Failed > 0:
			s.Failures++
			c.Failure = &junitMessage{Message: res.Failure, Text: res.Report}
		}
		s.Cases = append(s.Cases, c)
	}
	s.Time = seconds(total)
	doc := junitSuites{Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Skipped: s.Skipped, Time: s.Time,
		Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

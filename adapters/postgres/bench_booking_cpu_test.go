package postgres_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/leads"
)

// BenchmarkBookingCPU books test drives through the service on one connection and reports the CPU time each
// booking costs on both sides of it: pg-µs/op, the PostgreSQL backend's (utime+stime from /proc/<pid>/stat of
// the connection's backend, so PostgreSQL must run on this machine), and go-µs/op, this process's (getrusage).
// Unlike ns/op, neither depends much on how busy the machine's other cores are: on a machine shared with other
// work they are the figures to compare (issue 16 item 5). Run with -benchtime of a few thousand bookings: /proc
// counts in clock ticks (10 ms). DEALERCRM_BENCH_SETUP_SQL, when set, is run on the database first (for an
// experiment: what a trigger, an index or a constraint costs a booking, e.g. 'DROP TRIGGER … ON test_drives').
func BenchmarkBookingCPU(b *testing.B) {
	const cars = 50
	e := newDriverBench(b, cars)
	if q := os.Getenv("DEALERCRM_BENCH_SETUP_SQL"); q != "" {
		db, err := benchDrivers[1].open(e.ctx, e.dsn)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.SQLX().ExecContext(e.ctx, q); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	n := 0
	for _, drv := range benchDrivers[1:] {
		b.Run(drv.name, func(b *testing.B) {
			db, err := drv.open(e.ctx, e.dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			db.SQLX().SetMaxOpenConns(1)
			var pid int
			if err := db.SQLX().GetContext(e.ctx, &pid, `SELECT pg_backend_pid()`); err != nil {
				b.Fatal(err)
			}
			st := stack.New(db, e.clock)
			book := func() {
				car, start := e.slot(n)
				n++
				e.clock.Set(start.Add(-time.Hour))
				if _, err := st.Leads.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: e.lead.ID, VehicleID: car,
					Start: start}); err != nil {
					b.Fatal(err)
				}
			}
			for range 2 * cars { // every statement prepared, every cache warm
				book()
			}
			pg0, go0 := backendCPU(b, pid), processCPU(b)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				book()
			}
			b.StopTimer()
			pg, goCPU := backendCPU(b, pid)-pg0, processCPU(b)-go0
			b.ReportMetric(float64(pg.Microseconds())/float64(b.N), "pg-µs/op")
			b.ReportMetric(float64(goCPU.Microseconds())/float64(b.N), "go-µs/op")
		})
	}
}

// backendCPU is the CPU time the process pid has used (from /proc/<pid>/stat, in clock ticks of 10 ms).
func backendCPU(b *testing.B, pid int) time.Duration {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Skipf("the backend's CPU time: %v (PostgreSQL on another machine?)", err)
	}
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // after "pid (comm) "
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("parsing /proc/%d/stat: %q", pid, s)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// processCPU is the CPU time this process has used.
func processCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

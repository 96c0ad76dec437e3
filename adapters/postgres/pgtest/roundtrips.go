package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgxdb"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// RoundTrips counts the round trips between a database handle and PostgreSQL (OpenCounting): a round trip is
// the client writing one or more protocol messages and then waiting to read the answer. It counts what the
// wire carries, so it is driver-exact: with lib/pq as postgres.Open and OpenCounting set it up (binary_parameters,
// statements kept prepared per connection: postgres.PreparingConnector) and with pgx (EnvDriver=pgx, which
// caches prepared statements per connection itself) a statement with parameters costs one once its connection
// has prepared it, two the first time; BEGIN and COMMIT one each.
// Opening a connection (startup and authentication) is not counted as round trips; Dials counts it. Nor is
// pgx's liveness ping (the empty query "-- ping" its database/sql driver sends before reusing a connection idle
// for more than a second): it depends on the pause before a request, not on the request; Pings counts it.
type RoundTrips struct {
	trips atomic.Int64
	dials atomic.Int64
	pings atomic.Int64
	sent  atomic.Int64 // bytes written to PostgreSQL on live connections
	recvd atomic.Int64 // bytes read from it

	mu    sync.Mutex
	stmts []string
}

// Statements returns the SQL text sent since the last Reset, in order: each simple query and each statement
// parsed (a statement with parameters is parsed once per connection, when the connection prepares it).
func (r *RoundTrips) Statements() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.stmts...)
}

// Count returns the round trips since the last Reset.
func (r *RoundTrips) Count() int { return int(r.trips.Load()) }

// Dials returns the connections opened since the last Reset.
func (r *RoundTrips) Dials() int { return int(r.dials.Load()) }

// Pings returns pgx's liveness pings since the last Reset (not counted as round trips).
func (r *RoundTrips) Pings() int { return int(r.pings.Load()) }

// BytesSent returns the bytes written to PostgreSQL since the last Reset (connection startup not counted).
func (r *RoundTrips) BytesSent() int64 { return r.sent.Load() }

// BytesReceived returns the bytes read from PostgreSQL since the last Reset (connection startup not counted):
// with the statements sent, a driver-exact measure of how much a request reads.
func (r *RoundTrips) BytesReceived() int64 { return r.recvd.Load() }

// Reset sets the counters to zero.
func (r *RoundTrips) Reset() {
	r.sent.Store(0)
	r.recvd.Store(0)
	r.trips.Store(0)
	r.dials.Store(0)
	r.pings.Store(0)
	r.mu.Lock()
	r.stmts = nil
	r.mu.Unlock()
}

// pingQuery is the simple query pgx's Ping sends.
const pingQuery = "-- ping"

// note records the SQL text of the simple queries ('Q') and parse messages ('P') among the complete protocol
// messages in p; it reports whether p is pgx's ping alone (not recorded).
func (r *RoundTrips) note(p []byte) (ping bool) {
	if len(p) == 5+len(pingQuery)+1 && p[0] == 'Q' && string(p[5:5+len(pingQuery)]) == pingQuery {
		return true
	}
	for len(p) >= 5 {
		typ, n := p[0], int(binary.BigEndian.Uint32(p[1:5]))
		if n < 4 || 1+n > len(p) {
			return false
		}
		body := p[5 : 1+n]
		p = p[1+n:]
		switch typ {
		case 'Q':
		case 'P':
			i := bytes.IndexByte(body, 0)
			if i < 0 {
				continue
			}
			body = body[i+1:]
		default:
			continue
		}
		if i := bytes.IndexByte(body, 0); i >= 0 {
			body = body[:i]
		}
		r.mu.Lock()
		r.stmts = append(r.stmts, strings.Join(strings.Fields(string(body)), " "))
		r.mu.Unlock()
	}
	return false
}

// OpenCounting is Open whose connections count their round trips in the returned RoundTrips. It connects
// through the driver EnvDriver names: lib/pq with binary_parameters (the default of postgres.Open), or pgx as
// pgxdb.Open connects.
func OpenCounting(t testing.TB) (*postgres.DB, *RoundTrips) {
	t.Helper()
	return OpenCountingOn(t, Driver())
}

// OpenCountingOn is OpenCounting through driver ("pq" or "pgx") whatever EnvDriver says: for a test of what one
// driver sends.
func OpenCountingOn(t testing.TB, driver string) (*postgres.DB, *RoundTrips) {
	t.Helper()
	dsn := Create(t)
	rt := &RoundTrips{}
	var db *postgres.DB
	switch driver {
	case "pgx":
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		d := countingDialer{rt: rt}
		db, err = pgxdb.OpenConfig(context.Background(), cfg, stdlib.OptionBeforeConnect(func(ctx context.Context, c *pgx.ConnConfig) error {
			c.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
				nc, err := d.DialContext(ctx, network, addr)
				if err == nil {
					rt.dials.Add(1)
				}
				return nc, err
			}
			return nil
		}), stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
			if cc, ok := c.PgConn().Conn().(*countingConn); ok {
				cc.live.Store(true)
			}
			return nil
		}))
		if err != nil {
			t.Fatalf("pgtest: %v", err)
		}
	default:
		pc, err := pq.NewConnector(postgres.WithBinaryParameters(dsn))
		if err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		pc.Dialer(countingDialer{rt: rt})
		x := sqlx.NewDb(sql.OpenDB(postgres.PreparingConnector(countingConnector{pq: pc})), "postgres")
		postgres.SizePool(x.DB, postgres.DefaultMaxConns)
		if err := x.PingContext(context.Background()); err != nil {
			x.Close()
			t.Fatalf("pgtest: %v", err)
		}
		db = postgres.New(x)
	}
	t.Cleanup(func() { db.Close() })
	return db, rt
}

// slotKey carries a *countingConn slot from countingConnector.Connect to the dialer through the context.
type slotKey struct{}

// countingConnector opens lib/pq connections and starts counting a connection's round trips once its startup is
// over.
type countingConnector struct{ pq *pq.Connector }

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	var slot *countingConn
	conn, err := c.pq.Connect(context.WithValue(ctx, slotKey{}, &slot))
	if slot != nil {
		slot.live.Store(true)
	}
	return conn, err
}

func (c countingConnector) Driver() driver.Driver { return c.pq.Driver() }

// countingDialer dials TCP and wraps the connection in a countingConn.
type countingDialer struct{ rt *RoundTrips }

func (d countingDialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

func (d countingDialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return d.DialContext(ctx, network, address)
}

func (d countingDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	var nd net.Dialer
	nc, err := nd.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	c := &countingConn{Conn: nc, rt: d.rt}
	if slot, ok := ctx.Value(slotKey{}).(**countingConn); ok {
		*slot = c
		d.rt.dials.Add(1)
	}
	return c, nil
}

// countingConn counts a round trip each time a read follows one or more writes. Connections dialled outside
// Connect (lib/pq's cancel requests) never become live and count nothing.
type countingConn struct {
	net.Conn
	rt    *RoundTrips
	live  atomic.Bool
	wrote atomic.Bool
	ping  atomic.Bool // what was written since the last read is pgx's ping alone
}

func (c *countingConn) Write(p []byte) (int, error) {
	ping := false
	if c.live.Load() {
		ping = c.rt.note(p)
		c.rt.sent.Add(int64(len(p)))
	}
	if !c.wrote.Swap(true) {
		c.ping.Store(ping)
	} else if !ping {
		c.ping.Store(false)
	}
	return c.Conn.Write(p)
}

func (c *countingConn) Read(p []byte) (int, error) {
	if c.wrote.Swap(false) && c.live.Load() {
		if c.ping.Load() {
			c.rt.pings.Add(1)
		} else {
			c.rt.trips.Add(1)
		}
	}
	n, err := c.Conn.Read(p)
	if c.live.Load() {
		c.rt.recvd.Add(int64(n))
	}
	return n, err
}

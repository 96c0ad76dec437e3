package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomLogAttr is an attribute of a random kind, key and value (hostile strings among them), for comparing
// NewJSONLogHandler's output with slog's.
func randomLogAttr(r *rand.Rand) slog.Attr {
	key := hostileStrings[r.IntN(len(hostileStrings))]
	if r.IntN(3) > 0 {
		key = []string{"app", "method", "dealer", "user", "k"}[r.IntN(5)]
	}
	s := hostileStrings[r.IntN(len(hostileStrings))]
	switch r.IntN(11) {
	case 0:
		return slog.Int64(key, r.Int64()-r.Int64())
	case 1:
		return slog.Uint64(key, r.Uint64())
	case 2:
		return slog.Bool(key, r.IntN(2) == 0)
	case 3:
		return slog.Duration(key, time.Duration(r.Int64N(1e12)))
	case 4:
		return slog.Float64(key, r.Float64()*1e6)
	case 5:
		return slog.Time(key, time.Unix(r.Int64N(2e9), r.Int64N(1e9)))
	case 6:
		return slog.Any(key, errors.New(s))
	case 7:
		return slog.Group(key, slog.String("inner", s), slog.Int("n", r.IntN(10)))
	case 8:
		return slog.Any(key, []string{s, "x"})
	case 9:
		return slog.Attr{} // empty: slog leaves it out
	}
	return slog.String(key, s)
}

// randomLogOptions are the handler options NewJSONLogHandler is compared under: none, a level, sources, a
// ReplaceAttr (which makes every line slog's own).
func randomLogOptions(r *rand.Rand) *slog.HandlerOptions {
	switch r.IntN(5) {
	case 0:
		return nil
	case 1:
		return &slog.HandlerOptions{Level: slog.LevelWarn}
	case 2:
		return &slog.HandlerOptions{AddSource: true}
	case 3:
		return &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == "path" {
				a.Value = slog.StringValue("<" + a.Value.String() + ">")
			}
			return a
		}}
	}
	return &slog.HandlerOptions{Level: slog.LevelDebug}
}

// logFormats are the two handlers of the library and slog's handlers they write as.
var logFormats = []struct {
	name   string
	ours   func(io.Writer, *slog.HandlerOptions) slog.Handler
	theirs func(io.Writer, *slog.HandlerOptions) slog.Handler
}{
	{"json", NewJSONLogHandler, func(w io.Writer, o *slog.HandlerOptions) slog.Handler { return slog.NewJSONHandler(w, o) }},
	{"text", NewTextLogHandler, func(w io.Writer, o *slog.HandlerOptions) slog.Handler { return slog.NewTextHandler(w, o) }},
}

// deriveBoth applies the same random WithAttrs and WithGroup calls to both handlers.
func deriveBoth(r *rand.Rand, ours, theirs slog.Handler) (slog.Handler, slog.Handler) {
	for range r.IntN(4) {
		if r.IntN(5) == 0 {
			name := []string{"", "g", "grp\"x"}[r.IntN(3)]
			ours, theirs = ours.WithGroup(name), theirs.WithGroup(name)
			continue
		}
		attrs := make([]slog.Attr, r.IntN(4))
		for i := range attrs {
			attrs[i] = randomLogAttr(r)
		}
		ours, theirs = ours.WithAttrs(attrs), theirs.WithAttrs(attrs)
	}
	return ours, theirs
}

// TestLogHandlersWriteWhatSlogWrites: any record, through any chain of WithAttrs and WithGroup and under any
// options, is written by NewJSONLogHandler as slog.NewJSONHandler writes it and by NewTextLogHandler as
// slog.NewTextHandler writes it, and each agrees with slog's on Enabled.
func TestLogHandlersWriteWhatSlogWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 5))
	ctx := context.Background()
	for i := range 6000 {
		format := logFormats[i%2]
		opts := randomLogOptions(r)
		var a, b bytes.Buffer
		ours, theirs := deriveBoth(r, format.ours(&a, opts), format.theirs(&b, opts))
		level := slog.Level(4 * (r.IntN(4) - 1))
		require.Equal(t, theirs.Enabled(ctx, level), ours.Enabled(ctx, level), "round %d", i)
		rec := slog.NewRecord(time.Unix(r.Int64N(2e9), r.Int64N(1e9)), level, hostileStrings[r.IntN(len(hostileStrings))], 0)
		for range r.IntN(5) {
			rec.AddAttrs(randomLogAttr(r))
		}
		require.NoError(t, ours.Handle(ctx, rec))
		require.NoError(t, theirs.Handle(ctx, rec))
		require.Equal(t, b.String(), a.String(), "round %d (%s)", i, format.name)
	}
}

// TestLogHandlersWriteTheRequestLineAsSlog: the request log line NewJSONLogHandler and NewTextLogHandler write
// themselves (writeRequestLine) is, byte for byte, what slog's JSON or text handler writes for the record
// logRequest makes — for hostile paths and ids, every level, any time and zone, durations of every unit, and after
// any attributes of WithAttrs; and where it cannot write it so (options, groups, attributes of other kinds) it says
// so, and the line is slog's.
func TestLogHandlersWriteTheRequestLineAsSlog(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 55))
	ctx := context.Background()
	zones := []*time.Location{time.UTC, time.FixedZone("MSK", 3*3600), time.FixedZone("odd", -(9*3600 + 30*60 + 15))}
	written := map[string]int{}
	for i := range 10000 {
		format := logFormats[i%2]
		opts := randomLogOptions(r)
		var a, b bytes.Buffer
		ours, theirs := deriveBoth(r, format.ours(&a, opts), format.theirs(&b, opts))
		l := requestLine{
			time:     time.Unix(r.Int64N(4e9)-1e9, r.Int64N(1e9)).In(zones[r.IntN(len(zones))]),
			level:    []slog.Level{slog.LevelInfo, slog.LevelError, slog.LevelWarn, slog.LevelInfo + 2}[r.IntN(4)],
			path:     "/api/v1/" + hostileStrings[r.IntN(len(hostileStrings))] + hostileStrings[r.IntN(len(hostileStrings))],
			status:   100 + r.IntN(500),
			duration: time.Duration(r.Int64N(1e11)) >> r.IntN(40),
			bytes:    r.Int64N(1e9),
			id:       hostileStrings[r.IntN(len(hostileStrings))],
		}
		if i%7 == 0 {
			l.time = time.Now().Add(time.Duration(r.Int64N(1e12))) // with a monotonic reading, as logRequest's
		}
		rec := slog.NewRecord(l.time, l.level, "request", 0)
		rec.AddAttrs(slog.String("path", l.path), slog.Int("status", l.status), slog.Duration("duration", l.duration),
			slog.Int64("bytes", l.bytes), slog.String("request_id", l.id))
		require.NoError(t, theirs.Handle(ctx, rec))
		done, err := ours.(requestLineWriter).writeRequestLine(l)
		require.NoError(t, err)
		if !done {
			assert.Empty(t, a.String())
			require.NoError(t, ours.Handle(ctx, rec))
		} else {
			written[format.name]++
			fast := opts == nil || (opts.ReplaceAttr == nil && !opts.AddSource)
			assert.True(t, fast, "round %d: written although slog's options format it otherwise", i)
		}
		require.Equal(t, b.String(), a.String(), "round %d (%s)", i, format.name)
	}
	for _, format := range logFormats {
		assert.Greater(t, written[format.name], 1000, "%s: the line is written by the handler itself in most rounds", format.name)
	}
}

// TestRequestLogThroughLogHandlers: the API's request log lines through NewJSONLogHandler and NewTextLogHandler
// are the lines it writes through slog.NewJSONHandler and slog.NewTextHandler (save the time, the duration, the size
// and the ids of the fixture's dealer and user), the handler writing them itself — for a GET, a write, a failure, an
// unauthenticated request and a method HTTP does not define.
func TestRequestLogThroughLogHandlers(t *testing.T) {
	varying := map[string]*regexp.Regexp{
		"json": regexp.MustCompile(`"time":"[^"]*"|"duration":\d+|"(dealer|user)":"[^"]*"|"bytes":\d+`),
		"text": regexp.MustCompile(`time=\S+|duration=\S+|(dealer|user)=\S+|bytes=\d+`),
	}
	for _, format := range logFormats {
		t.Run(format.name, func(t *testing.T) {
			var ours, theirs syncBuffer
			fo := newFixture(t, func(c *Config) { c.Logger = slog.New(format.ours(&ours, nil)).With("app", "crm") })
			ft := newFixture(t, func(c *Config) { c.Logger = slog.New(format.theirs(&theirs, nil)).With("app", "crm") })
			missing := crm.NewID().String()
			for _, f := range []*fixture{fo, ft} {
				ta := f.a.token(crm.RoleAdmin)
				f.must(200, get("/api/v1/customers", ta).with("X-Request-Id", "get"))
				f.must(201, post("/api/v1/customers", ta, map[string]any{"first_name": "Иван", "phones": []string{"+7 900 000-00-01"}}).
					with("X-Request-Id", "post"))
				f.must(404, get("/api/v1/customers/"+missing, ta).with("X-Request-Id", "missing"))
				f.must(401, get("/api/v1/customers", "no-such-token").with("X-Request-Id", "anonymous"))
				f.must(405, req{method: "BREW", path: "/api/v1/customers", token: ta}.with("X-Request-Id", "brew"))
			}
			requestLines := func(logs string) (out []string) {
				for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
					if strings.Contains(l, `"msg":"request"`) || strings.Contains(l, " msg=request ") {
						out = append(out, varying[format.name].ReplaceAllString(l, `$1`))
					}
				}
				return out
			}
			assert.Equal(t, requestLines(theirs.String()), requestLines(ours.String()))
			assert.Len(t, requestLines(ours.String()), 5)
			dealer, user := fo.a.dealer.ID.String(), fo.a.users[crm.RoleAdmin].ID.String()
			for _, l := range strings.Split(strings.TrimSpace(ours.String()), "\n") {
				switch {
				case strings.Contains(l, `"request_id":"get"`):
					assert.Regexp(t, `^\{"time":"[^"]+","level":"INFO","msg":"request","app":"crm","method":"GET","dealer":"`+
						dealer+`","user":"`+user+
						`","path":"/api/v1/customers","status":200,"duration":\d+,"bytes":\d+,"request_id":"get"\}$`, l)
				case strings.Contains(l, "request_id=get"):
					assert.Regexp(t, `^time=\S+ level=INFO msg=request app=crm method=GET dealer=`+dealer+` user=`+user+
						` path=/api/v1/customers status=200 duration=\S+ bytes=\d+ request_id=get$`, l)
				}
			}
			require.NotZero(t, fo.h.requestLog.m.Len())
			fo.h.requestLog.m.Range(func(k requestLogKey, h slog.Handler) bool {
				lh, ok := h.(*logHandler)
				require.True(t, ok, "%v: %T", k, h)
				assert.True(t, lh.fast, "%v: the line is the handler's own", k)
				return true
			})
		})
	}
}

// TestLogHandlerWritesLinesWhole: lines written at once through the handler's own path and slog's never
// interleave (one lock over the writer).
func TestLogHandlerWritesLinesWhole(t *testing.T) {
	var logs unsyncedLines
	h := NewJSONLogHandler(&logs, nil).WithAttrs([]slog.Attr{slog.String("method", "GET")})
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 500 {
				if g%2 == 0 {
					_, _ = h.(requestLineWriter).writeRequestLine(requestLine{time: time.Now(), level: slog.LevelInfo,
						path: "/p", status: 200, id: fmt.Sprint(g, i)})
				} else {
					_ = h.Handle(context.Background(), slog.NewRecord(time.Now(), slog.LevelInfo, "other", 0))
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
	assert.Equal(t, 2000, logs.n)
	assert.False(t, logs.overlapped, "two writes at once")
}

// unsyncedLines counts the writes it gets and notes when two overlap.
type unsyncedLines struct {
	busy       bool
	overlapped bool
	n          int
}

func (u *unsyncedLines) Write(p []byte) (int, error) {
	if u.busy {
		u.overlapped = true
	}
	u.busy = true
	time.Sleep(time.Microsecond)
	u.n++
	u.busy = false
	return len(p), nil
}

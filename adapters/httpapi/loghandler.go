package httpapi

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// NewJSONLogHandler returns a slog.Handler that writes what slog.NewJSONHandler(w, opts) writes, line for line and
// byte for byte (every record goes through such a handler), except that when it is the handler of Config.Logger the
// request log's lines are formatted by the API itself, straight into a pooled buffer: the same bytes, the same
// fields in the same order, for a fraction of the cost of slog's general formatting (issue 16 item 5). That holds
// while opts has no ReplaceAttr and no AddSource and no group was opened (WithGroup), and while the attributes added
// with WithAttrs (Logger.With) are strings, integers, booleans or durations; otherwise every line, the request log's
// too, is slog's own. Lines are written whole, one Write of w per line, never two at once (as slog's handler does).
func NewJSONLogHandler(w io.Writer, opts *slog.HandlerOptions) slog.Handler {
	return newLogHandler(w, opts, true)
}

// NewTextLogHandler is NewJSONLogHandler for slog.NewTextHandler's lines (key=value): what
// slog.NewTextHandler(w, opts) writes, byte for byte, the request log's lines formatted by the API itself.
func NewTextLogHandler(w io.Writer, opts *slog.HandlerOptions) slog.Handler {
	return newLogHandler(w, opts, false)
}

func newLogHandler(w io.Writer, opts *slog.HandlerOptions, json bool) *logHandler {
	if opts == nil {
		opts = &slog.HandlerOptions{}
	}
	out := &lockedWriter{w: w}
	h := &logHandler{out: out, json: json, fast: opts.ReplaceAttr == nil && !opts.AddSource}
	if json {
		h.inner = slog.NewJSONHandler(out, opts)
	} else {
		h.inner = slog.NewTextHandler(out, opts)
	}
	return h
}

// logHandler is the handler of NewJSONLogHandler and NewTextLogHandler: slog's handler (inner), and beside it what
// the request log line needs to be written without it (writeRequestLine).
type logHandler struct {
	inner slog.Handler // slog's JSON or text handler over out, with this handler's attributes and groups
	out   *lockedWriter
	json  bool // JSON lines, else text (key=value)
	// fast is whether writeRequestLine may write the line itself: no ReplaceAttr, no AddSource, no group, and every
	// attribute of WithAttrs formatted into prefix.
	fast bool
	// prefix is the attributes added with WithAttrs as slog's handler writes them after others: `,"key":value`
	// each (JSON), ` key=value` (text).
	prefix []byte
}

// lockedWriter serialises the writes of slog's handler and of writeRequestLine to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (h *logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h *logHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.inner.Handle(ctx, r)
}

func (h *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	h2 := &logHandler{inner: h.inner.WithAttrs(attrs), out: h.out, json: h.json, fast: h.fast}
	if h2.fast {
		h2.prefix = append([]byte(nil), h.prefix...)
		for _, a := range attrs {
			var ok bool
			if h2.prefix, ok = h.appendAttr(h2.prefix, a); !ok {
				h2.fast, h2.prefix = false, nil
				break
			}
		}
	}
	return h2
}

func (h *logHandler) WithGroup(name string) slog.Handler {
	return &logHandler{inner: h.inner.WithGroup(name), out: h.out, json: h.json}
}

// requestLine is the part of a request log line that changes per request (logRequest): the record's time and level,
// and the five fields after the handler's own (method, dealer, user).
type requestLine struct {
	time     time.Time
	level    slog.Level
	path     string
	status   int
	duration time.Duration
	bytes    int64
	id       string
}

// requestLineWriter is a handler that writes a request log line itself (logHandler): writeRequestLine reports
// false when it did not, and the line is then the handler's Handle's.
type requestLineWriter interface {
	writeRequestLine(l requestLine) (bool, error)
}

// logLineBuffers are the buffers request log lines are formatted in.
var logLineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// writeRequestLine writes l as slog's handler writes a record of l's time and level, message "request", and the
// attributes path, status, duration, bytes and request_id, after the handler's own.
func (h *logHandler) writeRequestLine(l requestLine) (bool, error) {
	if !h.fast {
		return false, nil
	}
	t := l.time.Round(0) // as slog: no monotonic reading
	if y := t.Year(); y < 0 || y >= 10000 {
		return false, nil // slog writes an error of its own there (JSON), or a time of another length (text)
	}
	bp := logLineBuffers.Get().(*[]byte)
	var b []byte
	if h.json {
		b = h.appendJSONRequestLine((*bp)[:0], t, &l)
	} else {
		b = h.appendTextRequestLine((*bp)[:0], t, &l)
	}
	_, err := h.out.Write(b)
	if cap(b) <= 16<<10 { // an odd long path does not keep its buffer in the pool
		*bp = b
		logLineBuffers.Put(bp)
	}
	return true, err
}

func (h *logHandler) appendJSONRequestLine(b []byte, t time.Time, l *requestLine) []byte {
	b = append(b, `{"time":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":`...)
	switch l.level {
	case slog.LevelInfo:
		b = append(b, `"INFO"`...)
	case slog.LevelError:
		b = append(b, `"ERROR"`...)
	default:
		b = appendSlogJSONString(b, l.level.String())
	}
	b = append(b, `,"msg":"request"`...)
	b = append(b, h.prefix...)
	b = append(b, `,"path":`...)
	b = appendSlogJSONString(b, l.path)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(l.status), 10)
	b = append(b, `,"duration":`...)
	b = strconv.AppendInt(b, int64(l.duration), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, l.bytes, 10)
	b = append(b, `,"request_id":`...)
	b = appendSlogJSONString(b, l.id)
	return append(b, "}\n"...)
}

func (h *logHandler) appendTextRequestLine(b []byte, t time.Time, l *requestLine) []byte {
	b = append(b, "time="...)
	b = appendRFC3339Millis(b, t)
	b = append(b, " level="...)
	switch l.level {
	case slog.LevelInfo:
		b = append(b, "INFO"...)
	case slog.LevelError:
		b = append(b, "ERROR"...)
	default:
		b = appendSlogTextString(b, l.level.String())
	}
	b = append(b, " msg=request"...)
	b = append(b, h.prefix...)
	b = append(b, " path="...)
	b = appendSlogTextString(b, l.path)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(l.status), 10)
	b = append(b, " duration="...)
	b = append(b, l.duration.String()...) // String is inlined: its text stays on the stack
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, l.bytes, 10)
	b = append(b, " request_id="...)
	b = appendSlogTextString(b, l.id)
	return append(b, '\n')
}

// appendRFC3339Millis appends t as slog's text handler writes a time: RFC 3339 with exactly three digits of
// fraction, truncated (log/slog's appendRFC3339Millis).
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10) // RFC3339Nano then has four digits: drop the 4th
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...)
}

// appendAttr appends a as h's slog handler writes an attribute after others (`,"key":value` or ` key=value`), and
// reports whether it could: strings, integers, booleans and durations, with a key; anything else is left to slog.
func (h *logHandler) appendAttr(b []byte, a slog.Attr) ([]byte, bool) {
	if a.Key == "" {
		return b, false
	}
	if h.json {
		b = append(b, ',')
		b = appendSlogJSONString(b, a.Key)
		b = append(b, ':')
	} else {
		b = append(b, ' ')
		b = appendSlogTextString(b, a.Key)
		b = append(b, '=')
	}
	switch v := a.Value; v.Kind() {
	case slog.KindString:
		if h.json {
			return appendSlogJSONString(b, v.String()), true
		}
		return appendSlogTextString(b, v.String()), true
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10), true
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10), true
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool()), true
	case slog.KindDuration:
		if h.json {
			return strconv.AppendInt(b, int64(v.Duration()), 10), true
		}
		return append(b, v.Duration().String()...), true
	}
	return b, false
}

// appendSlogTextString appends s as slog's text handler writes a string: as it is, or quoted (strconv.Quote) when
// it is empty or has a space, '=', '"', a control character, invalid UTF-8, U+FFFD or a character that is not
// printable (log/slog's needsQuoting).
func appendSlogTextString(b []byte, s string) []byte {
	if textNeedsQuoting(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

// textNeedsQuoting is log/slog's needsQuoting.
func textNeedsQuoting(s string) bool {
	if len(s) == 0 {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c != '\\' && (c == ' ' || c == '=' || c == '"' || c < 0x20) {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}

// appendSlogJSONString appends s in quotes, escaped as slog's JSON handler escapes it (log/slog's
// appendEscapedJSONString): `"` and `\`, and \n, \r and \t by name, other control characters as \u00XX, invalid
// UTF-8 as \ufffd, U+2028 and U+2029 as \u2028 and \u2029; unlike appendJSONString, <, > and & as they are.
func appendSlogJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

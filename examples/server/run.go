package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/httpapi/pgidempotency"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgxdb"
	"github.com/dealercrm/dealercrm/adapters/smtp"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// run wires the server for cfg and serves until ctx is cancelled, then shuts down gracefully. Tokens and the
// listening address go to stdout, logs to stderr.
func run(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	if cfg.logBuffer > 0 {
		lb := httpapi.NewLogBuffer(stderr, cfg.logBuffer)
		defer lb.Close()
		stderr = lb
	}
	logger := newLogger(cfg.logFormat, cfg.logLevel, stderr)
	b, err := openBackend(ctx, cfg.postgres, cfg.driver, cfg.maxConns, logger)
	if err != nil {
		return err
	}
	defer b.close()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if cfg.pprof != "" {
		at, stop, err := startPprof(cfg.pprof, logger)
		if err != nil {
			return err
		}
		defer stop()
		fmt.Fprintf(stdout, "pprof on http://%s/debug/pprof/\n", at)
	}
	key := []byte(cfg.unsubscribeKey)
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
		logger.Warn("no -unsubscribe-key: campaign unsubscribe links are signed with a random key and end with this process")
	}
	opts := []stack.Option{stack.WithFallback(logNotifier{logger}), stack.WithUnsubscribe(notify.Unsubscribe{Key: key,
		URL: "http://" + ln.Addr().String() + "/api/v1/unsubscribe"})}
	if cfg.filesDir != "" {
		dir, err := files.NewDir(cfg.filesDir)
		if err != nil {
			return fmt.Errorf("-files: %w", err)
		}
		opts = append(opts, stack.WithFiles(dir))
	}
	st := stack.New(b.db, crm.SystemClock{}, opts...)
	if err := issueTokens(ctx, cfg, st, stdout, logger); err != nil {
		return err
	}
	var catcher *smtp.Catcher
	var senders map[crm.ID]string
	if cfg.smtpCatcher != "" {
		if catcher, err = startCatcher(cfg.smtpCatcher, logger); err != nil {
			return fmt.Errorf("-smtp-catcher: %w", err)
		}
		defer catcher.Close()
		if senders, err = pointDealersAt(ctx, st, catcher.Addr()); err != nil {
			return fmt.Errorf("-smtp-catcher: %w", err)
		}
		fmt.Fprintf(stdout, "smtp catcher on %s: %d dealer mailboxes point to it; mail at /dev/mail (with a dealer's token)\n",
			catcher.Addr(), len(senders))
	}
	hc := st.HTTPConfig()
	hc.Logger, hc.Ready = logger, b.ready
	hc.CORS = httpapi.CORS{AllowedOrigins: cfg.corsOrigins}
	hc.AuthCacheTTL = cfg.authCache
	hc.LogSuccessfulGETs = cfg.logSampleGETs
	if cfg.authCache == 0 {
		hc.AuthCacheTTL = -1 // -auth-cache 0: read the key on every request
	}
	if b.idempotency != nil {
		hc.Idempotency = b.idempotency
	}
	api, err := httpapi.New(hc)
	if err != nil {
		return err
	}
	var h http.Handler = api
	if catcher != nil {
		h = withDevMail(api, devMail{catcher: catcher, auth: httpapi.NewKeyAuthenticator(hc.Kernel), notify: st.Notify, senders: senders})
	}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	fmt.Fprintf(stdout, "dashboard on http://%s/dashboard\n", ln.Addr())
	logger.Info("listening", "addr", ln.Addr().String(), "storage", b.name)

	runOpts := []stack.RunOption{stack.WithRunLogger(logger), stack.WithRelayInterval(cfg.relayEvery),
		stack.WithExpiryInterval(cfg.expiryEvery)}
	if b.idempotency != nil {
		runOpts = append(runOpts, stack.WithTask("purge idempotency records", idempotencyPurgeEvery,
			purgeTask(b.idempotency, st.Clock)))
	}
	bgCtx, stopBackground := context.WithCancel(ctx)
	bgDone := make(chan error, 1)
	go func() { bgDone <- st.Run(bgCtx, runOpts...) }()
	err = serve(ctx, newHTTPServer(withDashboard(h), logger), ln, cfg.shutdownTimeout)
	stopBackground()
	if bgErr := <-bgDone; bgErr != nil && err == nil {
		err = bgErr
	}
	logger.Info("stopped")
	return err
}

// newHTTPServer returns the server with timeouts that keep slow or idle clients from holding connections.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// serve serves on ln until ctx is done, then lets in-flight requests finish within timeout.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, timeout time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// newLogger logs to w in the given format (text or json) from level up.
func newLogger(format string, level slog.Level, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(httpapi.NewJSONLogHandler(w, opts)) // slog's JSON lines; the request log's formatted by the API
	}
	return slog.New(httpapi.NewTextLogHandler(w, opts)) // slog's text lines; the request log's formatted by the API
}

// backend is the storage the server runs on.
type backend struct {
	name  string // "memory" or "postgres"
	db    stack.Backend
	ready func(context.Context) error // nil: always ready
	// idempotency keeps Idempotency-Key responses in the database, for restarts and other processes; nil: the
	// handler's default, in memory
	idempotency *pgidempotency.Store
	close       func()
}

// openBackend opens PostgreSQL at url through driver (pq or pgx) with a pool of at most maxConns connections and
// migrates it, or memory when url is "".
func openBackend(ctx context.Context, url, driver string, maxConns int, logger *slog.Logger) (backend, error) {
	if url == "" {
		return backend{name: "memory", db: memory.New(), close: func() {}}, nil
	}
	open := postgres.Open
	if driver == "pgx" {
		open = pgxdb.Open
	}
	db, err := open(ctx, url)
	if err != nil {
		return backend{}, err
	}
	postgres.SizePool(db.SQLX().DB, maxConns)
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return backend{}, err
	}
	logger.Info("postgres migrated", "digest", postgres.MigrationsDigest())
	return backend{name: "postgres", db: db, close: func() { db.Close() },
		ready:       db.Ping,
		idempotency: pgidempotency.New(db, idempotencyLifetime)}, nil
}

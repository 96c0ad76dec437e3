// Command browser serves a small static page (page/index.html and page/app.js, no framework) from its own origin:
// a browser client of the dealercrm API that logs in with a token, lists the cars, books a test drive on a free
// slot and shows the conflict a second booking of that slot answers. The API must allow the page's origin:
//
//	go run ./examples/server -cors-origins http://127.0.0.1:5173     # prints demo tokens
//	go run ./examples/browser -addr 127.0.0.1:5173                   # open http://127.0.0.1:5173/?api=http://127.0.0.1:8080
//
// browser_test.go drives the page with headless Chromium against an API on another origin.
package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"time"
)

//go:embed page
var pageFiles embed.FS

// pageHandler serves the page's files.
func pageHandler() http.Handler {
	sub, err := fs.Sub(pageFiles, "page")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	return http.FileServerFS(sub)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:5173", "address to serve the page on (port 0 picks a free port)")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser:", err)
		os.Exit(1)
	}
	fmt.Printf("page at http://%s/ (start the API with -cors-origins http://%s)\n", ln.Addr(), ln.Addr())
	srv := &http.Server{Handler: pageHandler(), ReadHeaderTimeout: 5 * time.Second}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "browser:", err)
		os.Exit(1)
	}
}

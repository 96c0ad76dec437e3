package main

import (
	"embed"
	"io/fs"
	"net/http"
)

// dashboardFiles are the manager's dashboard (issue 13): the page, its script and styles, and Chart.js 4.6.1 as
// built by its authors (dashboard/vendor/chart.umd.min.js, MIT, licence beside it), embedded so that the page works
// offline and needs no CDN.
//
//go:embed dashboard
var dashboardFiles embed.FS

// dashboardCSP lets the page load only its own files and call only its own origin (the API it is served with).
const dashboardCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// withDashboard serves GET /dashboard (the page) and GET /dashboard/… (its files) beside api, which serves the
// rest. The page calls only api's public routes, with the token the user enters.
func withDashboard(api http.Handler) http.Handler {
	files, err := fs.Sub(dashboardFiles, "dashboard")
	if err != nil {
		panic(err) // the embedded directory is always there
	}
	static := http.StripPrefix("/dashboard/", http.FileServerFS(files))
	secure := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", dashboardCSP)
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.Header().Set("Referrer-Policy", "no-referrer")
			h.ServeHTTP(w, r)
		})
	}
	mux := http.NewServeMux()
	mux.Handle("GET /dashboard", secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, files, "index.html")
	})))
	mux.Handle("GET /dashboard/", secure(static))
	mux.Handle("/", api)
	return mux
}

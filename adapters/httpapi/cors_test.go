package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const appOrigin = "http://app.example.test:5173"

// preflight sends a real OPTIONS preflight over the network, as a browser does before a cross-origin request.
func preflight(t *testing.T, base, path, origin, method, headers string) *http.Response {
	t.Helper()
	r, err := http.NewRequest(http.MethodOptions, base+path, nil)
	require.NoError(t, err)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Method", method)
	if headers != "" {
		r.Header.Set("Access-Control-Request-Headers", headers)
	}
	res, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	res.Body.Close()
	return res
}

func corsServer(t *testing.T, c CORS) (*fixture, string) {
	t.Helper()
	f := newFixture(t, func(cfg *Config) { cfg.CORS = c })
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func TestCORSPreflightFromAnAllowedOrigin(t *testing.T) {
	f, base := corsServer(t, CORS{AllowedOrigins: []string{appOrigin}})
	res := preflight(t, base, "/api/v1/vehicles/"+crm.NewID().String(), appOrigin, "PATCH", "authorization, content-type, if-match, idempotency-key")
	require.Equal(t, http.StatusNoContent, res.StatusCode)
	assert.Equal(t, appOrigin, res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "GET, HEAD, PATCH", res.Header.Get("Access-Control-Allow-Methods"))
	allowed := strings.ToLower(res.Header.Get("Access-Control-Allow-Headers"))
	for _, h := range []string{"authorization", "content-type", "if-match", "idempotency-key"} {
		assert.Contains(t, allowed, h)
	}
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Credentials"))
	assert.NotEmpty(t, res.Header.Get("Access-Control-Max-Age"))

	// Every route of the table answers its preflight with its own methods.
	for _, rt := range f.h.routes {
		path := strings.NewReplacer("{id}", crm.NewID().String(), "{key}", "x").Replace(rt.Path)
		res := preflight(t, base, path, appOrigin, rt.Method, "authorization")
		if assert.Equal(t, http.StatusNoContent, res.StatusCode, rt.Method+" "+rt.Path) {
			assert.Contains(t, strings.Split(res.Header.Get("Access-Control-Allow-Methods"), ", "), rt.Method, rt.Path)
		}
	}

	// The actual request exposes ETag, Location and Idempotent-Replayed to the page.
	r, _ := http.NewRequest("GET", base+"/api/v1/customers", nil)
	r.Header.Set("Origin", appOrigin)
	r.Header.Set("Authorization", "Bearer "+f.a.token(crm.RoleAdmin))
	got, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	got.Body.Close()
	assert.Equal(t, http.StatusOK, got.StatusCode)
	assert.Equal(t, appOrigin, got.Header.Get("Access-Control-Allow-Origin"))
	exposed := got.Header.Get("Access-Control-Expose-Headers")
	for _, h := range []string{"ETag", "Location", "Idempotent-Replayed"} {
		assert.Contains(t, exposed, h)
	}
	assert.Contains(t, got.Header.Values("Vary"), "Origin")
}

func TestCORSRefusesOtherOrigins(t *testing.T) {
	_, base := corsServer(t, CORS{AllowedOrigins: []string{appOrigin}})
	res := preflight(t, base, "/api/v1/vehicles", "http://evil.example.test", "POST", "authorization")
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Methods"))

	// a refused origin's actual request gets no CORS headers, so the browser hides the answer
	r, _ := http.NewRequest("GET", base+"/healthz", nil)
	r.Header.Set("Origin", "http://evil.example.test")
	got, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	got.Body.Close()
	assert.Empty(t, got.Header.Get("Access-Control-Allow-Origin"))

	// an unknown path is a 404 even in a preflight
	res = preflight(t, base, "/api/v1/nothing-here", appOrigin, "GET", "")
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
}

func TestCORSIsOffByDefault(t *testing.T) {
	_, base := corsServer(t, CORS{})
	res := preflight(t, base, "/api/v1/vehicles", appOrigin, "GET", "authorization")
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
}

func TestCORSWildcard(t *testing.T) {
	_, err := New(Config{Kernel: nil, Auth: AuthenticatorFunc(nil), CORS: CORS{AllowedOrigins: []string{"*"}, AllowCredentials: true}})
	require.Error(t, err, "credentials with a wildcard origin must be refused")
	_, err = New(Config{Auth: AuthenticatorFunc(nil), CORS: CORS{AllowedOrigins: []string{"http://x.test/path"}}})
	require.Error(t, err)

	_, base := corsServer(t, CORS{AllowedOrigins: []string{"*"}})
	res := preflight(t, base, "/api/v1/leads", "http://anyone.test", "POST", "authorization")
	require.Equal(t, http.StatusNoContent, res.StatusCode)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Credentials"))
}

func TestCORSCredentialsForAnExactOrigin(t *testing.T) {
	_, base := corsServer(t, CORS{AllowedOrigins: []string{appOrigin}, AllowCredentials: true})
	res := preflight(t, base, "/api/v1/leads", appOrigin, "POST", "authorization")
	require.Equal(t, http.StatusNoContent, res.StatusCode)
	assert.Equal(t, appOrigin, res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
}

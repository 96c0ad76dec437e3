package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadOpenAPI parses and validates the handler's document.
func loadOpenAPI(t testing.TB, h *Handler) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(h.OpenAPI())
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	return doc
}

// samplePath fills a path template's parameters.
func samplePath(path string) string {
	for _, name := range pathParams(path) {
		v := crm.NewID().String()
		if name == "code" {
			v = "car_purchase"
		}
		path = strings.Replace(path, "{"+name+"}", v, 1)
	}
	return path
}

func TestOpenAPIDocumentMatchesTheMux(t *testing.T) {
	f := newFixture(t)
	doc := loadOpenAPI(t, f.h)

	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, rt := range f.h.routes {
		registered[rt.Method+" "+rt.Path] = true
	}
	assert.Equal(t, sortedKeys(registered), sortedKeys(documented), "the document and the route table differ")

	tok := f.a.token(crm.RoleAdmin)
	for key := range documented {
		method, path, _ := strings.Cut(key, " ")
		t.Run(key, func(t *testing.T) {
			r := httptest.NewRequest(method, samplePath(path), nil)
			_, pattern := f.h.mux.Handler(r)
			assert.Equal(t, key, pattern, "the mux serves a documented route with its own pattern")

			res := f.do(req{method: method, path: samplePath(path), token: tok})
			if res.Status == 404 || res.Status == 405 {
				assert.NotEqual(t, problemTypeBase+"no-route", res.Str("type"))
				assert.NotEqual(t, problemTypeBase+"method-not-allowed", res.Str("type"))
			}
		})
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// conformance validates every request a test makes, and its response, against the OpenAPI document: a request
// that succeeded (2xx) must be one the document allows, and every response must be one it describes.
type conformance struct {
	mu      sync.Mutex
	routers map[string]routers.Router // by document
}

var docCheck conformance

// routerFor returns the router of h's document, parsed and validated once per distinct document.
func (c *conformance) routerFor(t testing.TB, h *Handler) routers.Router {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if rt, ok := c.routers[string(h.openapi)]; ok {
		return rt
	}
	doc := loadOpenAPI(t, h)
	rt, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	if c.routers == nil {
		c.routers = map[string]routers.Router{}
	}
	c.routers[string(h.openapi)] = rt
	return rt
}

func (c *conformance) check(t testing.TB, h *Handler, r *http.Request, body []byte, res *response) {
	t.Helper()
	router := c.routerFor(t, h)
	r = r.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := router.FindRoute(r)
	if err != nil {
		if res.Status != 404 && res.Status != 405 {
			t.Errorf("%s %s: no documented route but status %d", r.Method, r.URL.Path, res.Status)
		}
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	if res.Status < 300 && res.Status >= 200 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/xml") {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s succeeded with a request the document refuses: %v", r.Method, r.URL.Path, err)
		}
	}
	ct := res.Header.Get("Content-Type")
	if !strings.Contains(ct, "json") {
		opts = &openapi3filter.Options{ExcludeResponseBody: true}
		in.Options = opts
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.Status, Header: res.Header,
		Options: opts}
	out.SetBodyBytes(res.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s answered %d with a response the document does not describe: %v\n%s", r.Method, r.URL.Path,
			res.Status, err, res.Body)
	}
}

func TestIfMatchIsDocumentedWhereHonoured(t *testing.T) {
	f := newFixture(t)
	w := f.newWorld(f.a)
	bodies := exampleBodies(f.h.routes, w)
	tok := f.a.token(crm.RoleAdmin)
	for _, rt := range f.h.routes {
		if rt.Method == "GET" || !strings.Contains(rt.Path, "{") {
			continue
		}
		key := rt.Method + " " + rt.Path
		t.Run(key, func(t *testing.T) {
			res := f.do(req{method: rt.Method, path: w.fill(rt.Path), token: tok, body: bodies[key]}.with("If-Match", `"999"`))
			if rt.IfMatch {
				assert.Equal(t, 412, res.Status, "%s", res.Body)
			} else {
				assert.NotEqual(t, 412, res.Status, "%s", res.Body)
			}
		})
	}
}

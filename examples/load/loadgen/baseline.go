package loadgen

import (
	_ "embed"
	"encoding/json"
	"net/http"

	"github.com/google/uuid"
)

// vehicleJSON is a vehicle exactly as GET /api/v1/vehicles/{id} of the real API answers it (a demo car).
//
//go:embed vehicle.json
var vehicleJSON []byte

// Baseline returns a bare net/http handler for the routes the generator measures, with no storage, no rules
// and no middleware: the floor against which the real API's figures are read. It answers GET with the vehicle
// JSON the real API serves (one vehicle, or a page of 20), encoded once at start, and POST by parsing the JSON
// body and answering 201 with a fixed body. Any bearer token is accepted; none is a 401.
func Baseline() http.Handler {
	var vehicle map[string]any
	if err := json.Unmarshal(vehicleJSON, &vehicle); err != nil {
		panic(err)
	}
	one := mustJSON(vehicle)
	items := make([]map[string]any, 20)
	for i := range items {
		items[i] = vehicle
	}
	page := mustJSON(map[string]any{"items": items, "next_cursor": nil})
	created := mustJSON(map[string]any{"id": uuid.NewString(), "version": 1})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/vehicles/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeBaseline(w, http.StatusOK, one)
	})
	mux.HandleFunc("GET /api/v1/vehicles", func(w http.ResponseWriter, r *http.Request) {
		writeBaseline(w, http.StatusOK, page)
	})
	create := func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
			writeBaseline(w, http.StatusBadRequest, []byte(`{"status":400}`))
			return
		}
		writeBaseline(w, http.StatusCreated, created)
	}
	mux.HandleFunc("POST /api/v1/vehicles", create)
	mux.HandleFunc("POST /api/v1/leads", create)
	mux.HandleFunc("POST /api/v1/leads/{id}/test-drives", create)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			writeBaseline(w, http.StatusUnauthorized, []byte(`{"status":401}`))
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func writeBaseline(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

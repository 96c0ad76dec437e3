package httpapi_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// An embedder builds the handler from its services and mounts it; requests carry an API key.
func Example() {
	db := memory.New()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	h, err := httpapi.New(httpapi.Config{
		Kernel:  crm.NewUnit[crm.Stores](db, nil),
		Catalog: catalog.NewService(crm.NewUnit[catalog.Stores](db, clock), clock),
		Clock:   clock,
	})
	if err != nil {
		panic(err)
	}

	// A dealer, a user and the user's API key (examples/server does this for its demo data).
	var token string
	err = crm.NewUnit[crm.Stores](db, nil).Update(context.Background(), func(ctx context.Context, s crm.Stores) error {
		d, err := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»"}, clock.Now())
		if err != nil {
			return err
		}
		if err := s.Dealers().Create(ctx, &d); err != nil {
			return err
		}
		ctx = crm.WithDealer(ctx, d.ID)
		u, err := crm.NewUser(d.ID, crm.User{Name: "Анна", Role: crm.RoleSalesManager}, clock.Now())
		if err != nil {
			return err
		}
		if err := s.Users().Create(ctx, &u); err != nil {
			return err
		}
		k, t, err := crm.NewAPIKey(u, "example", clock.Now())
		if err != nil {
			return err
		}
		token = t
		return s.APIKeys().Create(ctx, &k)
	})
	if err != nil {
		panic(err)
	}

	r := httptest.NewRequest("POST", "/api/v1/vehicles", strings.NewReader(
		`{"vin": "XTA21700080000001", "make": "Lada", "model": "Niva", "year": 2026,
		  "list_price": {"amount": "1250000", "currency": "RUB"}}`))
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("ETag"), strings.Contains(w.Body.String(), `"status":"in_stock"`))

	r = httptest.NewRequest("GET", "/api/v1/vehicles", nil) // no token
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	// Output:
	// 201 "1" true
	// 401 application/problem+json
}

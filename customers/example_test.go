package customers_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
)

// Two records of one person are merged: the kept customer gains the duplicate's phone, and the duplicate's
// phone now finds the kept customer.
func Example() {
	db := memory.New()
	clock := crm.NewManualClock(time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC))
	dealer, _ := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»"}, clock.Now())
	_ = crm.NewUnit[crm.Stores](db, nil).Update(context.Background(), func(ctx context.Context, s crm.Stores) error { return s.Dealers().Create(ctx, &dealer) })
	ctx := crm.WithDealer(context.Background(), dealer.ID)

	svc := customers.NewService(crm.NewUnit[customers.Stores](db, clock))
	keep, _ := svc.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров", Phones: []string{"+7 900 000-00-01"}}})
	dup, _ := svc.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{FirstName: "Ваня", Phones: []string{"8 900 000-00-02"}}})

	merged, moved, err := svc.MergeCustomers(ctx, customers.Merge{KeepID: keep.ID, DuplicateID: dup.ID})
	fmt.Println(merged.FullName(), merged.Phones, moved.Sales, err)
	found, _ := svc.FindCustomers(ctx, "+7 (900) 000-00-02", "")
	fmt.Println(len(found), found[0].ID == keep.ID)
	// Output:
	// Иван Петров [+79000000001 +79000000002] 0 <nil>
	// 1 true
}

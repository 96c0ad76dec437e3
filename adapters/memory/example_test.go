package memory_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/crm"
)

// A unit of work over the in-memory database: everything fn wrote is discarded when it fails.
func ExampleDB_Transact() {
	db := memory.New()
	kernel := crm.NewUnit[crm.Stores](db, crm.SystemClock{}) // any domain's bundle works the same way
	dealer, _ := crm.NewDealer(crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"}, crm.SystemClock{}.Now())
	ctx := context.Background()
	_ = kernel.Update(ctx, func(ctx context.Context, s crm.Stores) error { return s.Dealers().Create(ctx, &dealer) })
	ctx = crm.WithDealer(ctx, dealer.ID)

	customer, _ := crm.NewCustomer(dealer.ID, crm.Customer{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
		Phones: []string{"+7 900 000-00-00"}}}, crm.SystemClock{}.Now())
	err := kernel.Update(ctx, func(ctx context.Context, s crm.Stores) error {
		if err := s.Customers().Create(ctx, &customer); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	fmt.Println(err)
	err = kernel.View(ctx, func(ctx context.Context, s crm.Stores) error {
		_, err := s.Customers().Get(ctx, customer.ID)
		return err
	})
	fmt.Println(errors.Is(err, crm.ErrNotFound))
	// Output:
	// changed my mind
	// true
}

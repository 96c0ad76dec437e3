package activities_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
)

// A call to a customer, due in an hour: overdue once the hour has passed, done with its outcome, and then closed
// to a second completion.
func ExampleActivity_Complete() {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	manager := crm.NewID()
	a, err := activities.New(crm.NewID(), activities.Input{Kind: activities.Call, Subject: "Перезвонить по кредиту",
		CustomerID: crm.NewID(), OwnerID: manager, DueAt: now.Add(time.Hour)}, manager, now)
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Status, a.Overdue(now.Add(30*time.Minute)), a.Overdue(now.Add(2*time.Hour)))
	err = a.Complete("Клиент приедет в субботу", "", manager, now.Add(2*time.Hour))
	fmt.Println(crm.FieldsOf(err)[0].Field)
	err = a.Complete("Клиент приедет в субботу", activities.Reached, manager, now.Add(2*time.Hour))
	fmt.Println(err, a.Status, a.Outcome, a.Overdue(now.Add(3*time.Hour)))
	err = a.Complete("ещё раз", activities.Busy, manager, now.Add(3*time.Hour))
	fmt.Println(errors.Is(err, activities.ErrNotOpen), crm.CodeOf(err))
	// Output:
	// open false true
	// outcome
	// <nil> done reached false
	// true activity_not_open
}

package appraisal_test

import (
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/crm"
)

var epoch = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

// A sheet starts at its reference price; deductions for the elements found worn and adjustments with their
// reasons give the proposed price, and every change is kept.
func Example() {
	dealer, _ := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»", Currency: "RUB"}, epoch)
	appraiser := crm.NewID()
	a, err := appraisal.NewAppraisal(dealer, appraisal.Input{
		Car:            appraisal.Car{VIN: "Z94CB41AAJR123456", Make: "Kia", Model: "Rio", Year: 2018, Mileage: 84000},
		ReferencePrice: crm.MustMoney("900000", "RUB"),
	}, appraisal.DefaultTemplate(), appraiser, epoch)
	if err != nil {
		panic(err)
	}
	poor, deduction := appraisal.GradePoor, crm.MustMoney("25000", "RUB")
	_ = a.EditElement(a.Elements[0].ID, appraisal.ElementChange{Grade: &poor, Deduction: &deduction}, appraiser, epoch)
	_ = a.Apply(dealer, appraisal.Changes{Adjustments: []appraisal.Adjustment{
		{Amount: crm.MustMoney("10000", "RUB"), Reason: "полная сервисная история"}},
		Justification: ptr("по объявлениям, минус ремонт капота")}, appraiser, epoch)
	fmt.Println(a.Elements[0].Name, a.Deductions, a.ProposedPrice, len(a.PriceHistory))
	// Output: Капот 25000.00 RUB 885000.00 RUB 3
}

func ptr[T any](v T) *T { return &v }

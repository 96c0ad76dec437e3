package crm_test

import (
	"errors"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

func ExampleMoney() {
	price := crm.MustMoney("1250000.50", "RUB")
	discount := crm.MustMoney("50000", "RUB")
	net, _ := price.Sub(discount)
	fmt.Println(net)
	_, err := price.Add(crm.MustMoney("10", "EUR"))
	fmt.Println(errors.Is(err, crm.ErrInvalid))
	// Output:
	// 1200000.50 RUB
	// true
}

func ExampleProblems() {
	var p crm.Problems
	p.Require("name", "")
	p.Add("vin", "must be 17 characters")
	err := p.Err("catalog.NewVehicle")
	for _, f := range crm.FieldsOf(err) {
		fmt.Println(f.Field, f.Message)
	}
	// Output:
	// name is required
	// vin must be 17 characters
}

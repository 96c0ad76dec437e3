package demo

import "github.com/dealercrm/dealercrm/crm"

// dealerSpec is one demo dealership: its requisites and its staff.
type dealerSpec struct {
	dealer crm.Dealer
	users  []crm.User // in role order: admin, sales manager, service advisor, read-only
	city   string     // for e-mail domains and stock locations
	domain string
}

// dealerSpecs are the two demo dealerships, with full Russian requisites (the tax numbers carry valid check
// digits; the bank details are those of real banks' correspondent accounts, the settlement accounts are made up).
var dealerSpecs = []dealerSpec{
	{
		dealer: crm.Dealer{
			Name:       "Дилерский центр Север",
			LegalName:  "ООО «Север-Авто»",
			TaxID:      "7715234560",
			TaxRegCode: "771501001",
			RegNumber:  "1127746123450",
			Address: crm.Address{Country: "Россия", Region: "Москва", City: "Москва",
				Street: "Дмитровское шоссе, д. 98", PostalCode: "127411"},
			Bank: crm.BankAccount{BankName: "ПАО Сбербанк", BIC: "044525225",
				Account: "40702810938000012345", CorrespondentAcct: "30101810400000000225"},
			Phone:    "+7 495 123-45-67",
			Email:    "info@sever-auto.ru",
			Currency: "RUB",
		},
		users: []crm.User{
			{Name: "Алексей Смирнов", Email: "a.smirnov@sever-auto.ru", Role: crm.RoleAdmin},
			{Name: "Ольга Кузнецова", Email: "o.kuznetsova@sever-auto.ru", Role: crm.RoleSalesManager},
			{Name: "Дмитрий Волков", Email: "d.volkov@sever-auto.ru", Role: crm.RoleServiceAdvisor},
			{Name: "Марина Соколова", Email: "m.sokolova@sever-auto.ru", Role: crm.RoleReadOnly},
		},
		city:   "Москва",
		domain: "sever-auto.ru",
	},
	{
		dealer: crm.Dealer{
			Name:       "Автоцентр Юг",
			LegalName:  "ООО «Юг-Моторс»",
			TaxID:      "2308456784",
			TaxRegCode: "230801001",
			RegNumber:  "1152308123450",
			Address: crm.Address{Country: "Россия", Region: "Краснодарский край", City: "Краснодар",
				Street: "ул. Северная, д. 326", PostalCode: "350000"},
			Bank: crm.BankAccount{BankName: "АО «Альфа-Банк»", BIC: "044525593",
				Account: "40702810701300054321", CorrespondentAcct: "30101810200000000593"},
			Phone:    "+7 861 234-56-78",
			Email:    "info@yug-motors.ru",
			Currency: "RUB",
		},
		users: []crm.User{
			{Name: "Сергей Попов", Email: "s.popov@yug-motors.ru", Role: crm.RoleAdmin},
			{Name: "Анна Лебедева", Email: "a.lebedeva@yug-motors.ru", Role: crm.RoleSalesManager},
			{Name: "Игорь Новиков", Email: "i.novikov@yug-motors.ru", Role: crm.RoleServiceAdvisor},
			{Name: "Елена Морозова", Email: "e.morozova@yug-motors.ru", Role: crm.RoleReadOnly},
		},
		city:   "Краснодар",
		domain: "yug-motors.ru",
	},
}

// DealerNames are the names of the demo dealers, in the order they are created.
func DealerNames() []string {
	out := make([]string, len(dealerSpecs))
	for i, d := range dealerSpecs {
		out[i] = d.dealer.Name
	}
	return out
}

// Roles are the demo users' roles, in the order each dealer's users are created and printed.
var Roles = []crm.Role{crm.RoleAdmin, crm.RoleSalesManager, crm.RoleServiceAdvisor, crm.RoleReadOnly}

package demo

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// plan is what the demo does with a lead after creating it.
type plan int

const (
	planNew         plan = iota // left at stage new
	planInWork                  // moved to in work
	planTestDrive               // a test drive booked (the vehicle reserved), lead in work
	planQualified               // a test drive booked, lead qualified
	planNegotiation             // converted into a sale, moved to negotiation
	planContract                // converted, moved to the contract stage
	planProposal                // a test drive booked, converted, moved to proposal
	planWon                     // a test drive booked, converted, walked to contract, won
	planWonDirect               // converted, moved to negotiation, won
	planLost                    // converted, lost
)

// leadSpec is one demo lead: who, from where, why, which car (an index into the dealer's vehicles; -1 for none)
// and what happens next.
type leadSpec struct {
	first, middle, last string
	phone, email        string
	source              leads.Source
	need                string
	vehicle             int
	comments            string
	plan                plan
}

// leadSpecs are the demo leads of each dealer, in dealer order. The vehicle indexes point at the first
// len(models) vehicles, which are one of each model, in stock.
var leadSpecs = [][]leadSpec{
	{
		{"Иван", "Сергеевич", "Петров", "+7 916 123-45-67", "ivan.petrov@mail.ru", leads.SourceWebsite, leads.NeedCarPurchase, 1, "Хочет Vesta в кредит, первый взнос 30 %", planWon},
		{"Алексей", "Николаевич", "Сидоров", "+7 903 210-11-22", "a.sidorov@yandex.ru", leads.SourceWalkIn, leads.NeedCarPurchase, 12, "Пришёл в салон, смотрел Camry", planWonDirect},
		{"Мария", "Андреевна", "Иванова", "+7 925 555-12-34", "maria.ivanova@gmail.com", leads.SourcePhone, leads.NeedCarPurchase, 5, "Интересует Jolion, семья с двумя детьми", planProposal},
		{"Анастасия", "", "Орлова", "+7 977 301-40-50", "orlova.a@mail.ru", leads.SourceWalkIn, leads.NeedCarPurchase, 14, "Сравнивает Octavia с Camry", planNegotiation},
		{"Владимир", "Петрович", "Козлов", "+7 985 700-80-90", "v.kozlov@rambler.ru", leads.SourcePartner, leads.NeedCarPurchase, 9, "Корпоративный клиент через партнёра", planContract},
		{"Татьяна", "", "Васильева", "+7 916 444-33-22", "t.vasilyeva@yandex.ru", leads.SourceCampaign, leads.NeedTradeIn, 10, "Сдаёт в трейд-ин Renault Logan 2014", planLost},
		{"Екатерина", "Игоревна", "Смирнова", "+7 926 111-22-33", "e.smirnova@mail.ru", leads.SourceWebsite, leads.NeedCarPurchase, 7, "Тест-драйв в выходные", planTestDrive},
		{"Николай", "", "Фёдоров", "+7 915 222-33-44", "n.fedorov@gmail.com", leads.SourcePhone, leads.NeedCarPurchase, 4, "Нужен полный привод для дачи", planQualified},
		{"Павел", "Олегович", "Морозов", "+7 903 999-88-77", "p.morozov@mail.ru", leads.SourceWebsite, leads.NeedService, -1, "Записаться на ТО-2", planNew},
		{"Ольга", "", "Никитина", "+7 905 123-00-99", "o.nikitina@yandex.ru", leads.SourcePhone, leads.NeedSpareParts, -1, "Комплект зимних шин R16", planInWork},
	},
	{
		{"Андрей", "Викторович", "Кравченко", "+7 918 123-45-67", "a.kravchenko@mail.ru", leads.SourceWebsite, leads.NeedCarPurchase, 8, "Coolray в комплектации Flagship", planWon},
		{"Юлия", "Сергеевна", "Бондаренко", "+7 961 210-11-22", "yu.bondarenko@yandex.ru", leads.SourceWalkIn, leads.NeedCarPurchase, 13, "RAV4 с пробегом, оплата наличными", planWonDirect},
		{"Виктор", "", "Шевченко", "+7 928 555-12-34", "v.shevchenko@gmail.com", leads.SourcePhone, leads.NeedCarPurchase, 6, "Сравнивает F7 и Tiggo 7 Pro", planProposal},
		{"Ирина", "Павловна", "Ткаченко", "+7 988 301-40-50", "i.tkachenko@mail.ru", leads.SourceWebsite, leads.NeedCarPurchase, 11, "Creta для работы в такси — нет, для семьи", planNegotiation},
		{"Роман", "", "Мельников", "+7 918 700-80-90", "r.melnikov@rambler.ru", leads.SourcePartner, leads.NeedCarPurchase, 2, "Лизинг через партнёра", planContract},
		{"Галина", "Ивановна", "Литвиненко", "+7 929 444-33-22", "g.litvinenko@yandex.ru", leads.SourceCampaign, leads.NeedCarPurchase, 15, "Откликнулась на рассылку", planLost},
		{"Максим", "", "Гончаренко", "+7 961 111-22-33", "m.goncharenko@mail.ru", leads.SourceWebsite, leads.NeedCarPurchase, 3, "Охота и рыбалка, нужна Нива", planTestDrive},
		{"Светлана", "Юрьевна", "Руденко", "+7 989 222-33-44", "s.rudenko@gmail.com", leads.SourcePhone, leads.NeedCarPurchase, 0, "Первый автомобиль", planQualified},
		{"Артём", "", "Коваленко", "+7 918 999-88-77", "a.kovalenko@mail.ru", leads.SourceWebsite, leads.NeedService, -1, "Замена масла и фильтров", planNew},
		{"Наталья", "Викторовна", "Зайцева", "+7 905 321-00-99", "n.zaitseva@yandex.ru", leads.SourcePhone, leads.NeedAccessories, -1, "Фаркоп и коврики", planInWork},
	},
}

// contact returns the contact of lead k (its index in the dealer's leadSpecs) with the consents it gave on the
// showroom's form k+2 days before now (leadConsents).
func (l leadSpec) contact(k int, now time.Time) crm.Contact {
	return crm.Contact{Kind: crm.Person, FirstName: l.first, MiddleName: l.middle, LastName: l.last,
		Phones: []string{l.phone}, Emails: []string{l.email}, Consents: leadConsents(k, now.AddDate(0, 0, -(k+2)))}
}

// leadConsents are the consents lead k gave on the showroom's form at at: most give service and marketing by
// e-mail; leads 6 and 8 by SMS only (service by e-mail goes unless withdrawn); lead 7 gave service by e-mail
// and said nothing of marketing; lead 9 declined marketing. So a campaign to the demo's leads has recipients
// queued and sent by e-mail and SMS and skipped "no consent on email, sms".
func leadConsents(k int, at time.Time) crm.Consents {
	form := func(ch crm.ConsentChannel, p crm.ConsentPurpose, granted bool) crm.Consent {
		return crm.Consent{Channel: ch, Purpose: p, Granted: granted, At: at, Source: crm.ConsentFromForm}
	}
	switch k {
	case 6, 8:
		return crm.Consents{form(crm.ConsentSMS, crm.PurposeMarketing, true), form(crm.ConsentSMS, crm.PurposeService, true)}
	case 7:
		return crm.Consents{form(crm.ConsentEmail, crm.PurposeService, true)}
	case 9:
		return crm.Consents{form(crm.ConsentEmail, crm.PurposeMarketing, false), form(crm.ConsentEmail, crm.PurposeService, true)}
	default:
		return crm.Consents{form(crm.ConsentEmail, crm.PurposeMarketing, true), form(crm.ConsentEmail, crm.PurposeService, true)}
	}
}

// adfDocument is an ADF 1.0 document as a car portal sends it, imported once per dealer; %s is the dealer's name.
const adfDocument = `<?xml version="1.0" encoding="UTF-8"?>
<?adf version="1.0"?>
<adf>
  <prospect status="new">
    <id sequence="1" source="auto-portal">%s-1001</id>
    <requestdate>2026-11-26T10:15:00+03:00</requestdate>
    <vehicle interest="test-drive" status="new">
      <year>2026</year><make>Lada</make><model>Vesta</model><trim>Life</trim>
    </vehicle>
    <vehicle interest="trade-in" status="used">
      <year>2018</year><make>Kia</make><model>Rio</model>
      <odometer units="km">84000</odometer><price type="asking" currency="RUB">900000</price>
    </vehicle>
    <customer>
      <contact><name part="first">%s</name><name part="last">%s</name>
        <email>%s</email><phone type="cellphone">%s</phone></contact>
      <timeframe><earliestdate>2026-11-28</earliestdate></timeframe>
      <comments>Тест-драйв в субботу утром</comments>
    </customer>
    <vendor><vendorname>%s</vendorname></vendor>
    <provider><name part="full">Авто-портал</name><service>Форма заявки</service></provider>
  </prospect>
</adf>`

// adfProspects are the people in each dealer's imported ADF document: first name, last name, e-mail, phone.
var adfProspects = [][4]string{
	{"Григорий", "Беляев", "g.belyaev@mail.ru", "+7 916 808-70-60"},
	{"Людмила", "Кузьмина", "l.kuzmina@mail.ru", "+7 918 808-70-60"},
}

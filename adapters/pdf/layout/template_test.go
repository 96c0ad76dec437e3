package layout_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
	"github.com/dealercrm/dealercrm/adapters/pdf/layout/layouttest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// text flattens a document to plain text, one block or table row per line, for assertions.
func text(doc layout.Document) string {
	var b strings.Builder
	for _, blk := range doc.Blocks {
		switch blk := blk.(type) {
		case layout.Heading:
			b.WriteString(blk.Text)
		case layout.Paragraph:
			b.WriteString(layout.PlainText(blk.Runs))
		case layout.Table:
			for _, r := range append(append([]layout.Row(nil), blk.Header...), blk.Rows...) {
				for _, c := range r.Cells {
					b.WriteString(layout.PlainText(c.Runs) + " | ")
				}
				b.WriteString("\n")
			}
		case layout.Signatures:
			for _, p := range blk.Parties {
				b.WriteString(p.Title + ": ")
				for _, l := range p.Lines {
					b.WriteString(layout.PlainText(l) + "; ")
				}
				b.WriteString(p.Position + " / " + p.Signer + "\n")
			}
		}
		b.WriteString("\n")
	}
	return strings.ReplaceAll(b.String(), "\u00a0", " ")
}

func build(t *testing.T, edit func(*sales.ContractInput)) layout.Document {
	t.Helper()
	in := layouttest.Input()
	if edit != nil {
		edit(&in)
	}
	c, err := sales.BuildContract(in)
	if err != nil {
		t.Fatalf("BuildContract: %v", err)
	}
	doc, err := layout.DefaultContract().Build(c)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return doc
}

func contains(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}

func TestDefaultContract(t *testing.T) {
	doc := build(t, nil)
	if doc.Title != "Договор купли-продажи автомобиля № ДКП-2026/0042" {
		t.Errorf("title = %q", doc.Title)
	}
	if h, ok := doc.Blocks[0].(layout.Heading); !ok || h.Level != 1 || h.Text != "ДОГОВОР КУПЛИ-ПРОДАЖИ АВТОМОБИЛЯ №\u00a0ДКП-2026/0042" {
		t.Errorf("first block = %#v", doc.Blocks[0])
	}
	got := text(doc)
	contains(t, got,
		"г. Москва | 26 ноября 2026 г.",
		"ООО «Север-Авто» (ИНН 7701234567, КПП 770101001, ОГРН 1027700000001)",
		"действует Генеральный директор Иванов Пётр Николаевич на основании Устава",
		"Петров Иван Сергеевич, дата рождения 12.04.1985, паспорт гражданина Российской Федерации серия 4510 № 123456, выдан ОВД «Тверской» г. Москвы 01.02.2015",
		"Идентификационный номер (VIN) | XTA21900080123456",
		"Двигатель | бензиновый, 1,6 л, 106 л.с.",
		"1.3. Вместе с Автомобилем",
		"2 | Комплект зимних шин <Nokian> & диски | 1 | 40 000,00 | 0,00 | 6 666,67 | 40 000,00",
		"Итого без скидки: | 1 270 000,50", "Итого: | 1 250 000,50", "в том числе НДС: | 208 333,42",
		"1 250 000,50 руб. (один миллион двести пятьдесят тысяч рублей 50 копеек), в том числе НДС 208 333,42 руб.",
		"700 000,00 руб. оплачиваются за счёт кредитных средств, предоставленных Покупателю банком АО «Банк Кредит» на срок 36 месяцев",
		"300 000,00 руб. оплачиваются путём зачёта стоимости автомобиля Покупателя Kia Rio 2018",
		"250 000,50 руб. Покупатель оплачивает", "предоплату 50 000,00 руб.", "в течение 5 банковских дней",
		"в течение 5 рабочих дней", "по адресу: 127000, Москва, ул. Северная, д. 1",
		"36 месяцев или 100 000 км пробега",
		"Продавец: ООО «Север-Авто»; ИНН 7701234567, КПП 770101001; ОГРН 1027700000001;",
		"Генеральный директор / Иванов П. Н.",
		"Покупатель: Петров Иван Сергеевич; Дата рождения: 12.04.1985; Паспорт: серия 4510 № 123456;",
		" / Петров И. С.",
	)
	var lines layout.Table
	for _, b := range doc.Blocks {
		if tb, ok := b.(layout.Table); ok && len(tb.Header) > 0 {
			lines = tb
		}
	}
	if len(lines.Header) != 1 || len(lines.Rows) != 2+4 {
		t.Errorf("lines table: %d header rows, %d rows; want 1 and 2 lines + 4 totals", len(lines.Header), len(lines.Rows))
	}
}

func TestDefaultContractVariants(t *testing.T) {
	rub := func(s string) crm.Money { return crm.MustMoney(s, "RUB") }
	cases := []struct {
		name    string
		edit    func(*sales.ContractInput)
		want    []string
		without []string
	}{
		{"company buyer", func(in *sales.ContractInput) {
			in.Customer.Kind = crm.Company
			in.Customer.CompanyName = "ООО «Ромашка»"
			in.Customer.TaxID = "7712345678"
			in.BuyerSignatory = sales.Signatory{Name: "Сидоров Олег Петрович", Position: "Директор", Basis: "Устава"}
		}, []string{"ООО «Ромашка» (ИНН 7712345678), именуемое в дальнейшем «Покупатель», от имени которого действует Директор Сидоров Олег Петрович на основании Устава",
			"Покупатель: ООО «Ромашка»; ИНН 7712345678;", "Директор / Сидоров О. П."},
			[]string{"паспорт гражданина", "Паспорт:"}},
		{"used car, no warranty, cash, one line", func(in *sales.ContractInput) {
			in.Vehicle.Condition = catalog.Used
			in.Vehicle.Mileage = 84000
			in.Vehicle.RegNumber = "А123ВС77"
			in.Lines = nil
			in.Amount = rub("900000")
			in.PaymentMethod = sales.PayCash
			in.CreditAmount, in.CreditBank, in.TradeInAmount, in.TradeInVehicle, in.Prepayment = crm.Money{}, "", crm.Money{}, "", crm.Money{}
			in.WarrantyMonths, in.WarrantyKm = 0, 0
		}, []string{"оплатить бывший в употреблении автомобиль", "Пробег | 84 000 км", "Государственный регистрационный знак | А123ВС77",
			"гарантия Продавца на него не предоставляется", "900 000,00 руб. Покупатель оплачивает",
			"собственными средствами наличными в кассу Продавца в течение",
			"1 | Автомобиль Lada Vesta Comfort 2026, VIN XTA21900080123456 | 1 | 900 000,00 | 0,00 | 150 000,00 | 900 000,00"},
			[]string{"кредитных средств", "трейд-ин", "1.3.", "Итого без скидки", "предоплату", "безналичным"}},
		{"paid by bank transfer", func(in *sales.ContractInput) {
			in.Lines = nil
			in.Amount = rub("900000")
			in.PaymentMethod = sales.PayTransfer
			in.CreditAmount, in.CreditBank, in.TradeInAmount, in.TradeInVehicle, in.Prepayment = crm.Money{}, "", crm.Money{}, "", crm.Money{}
		}, []string{"собственными средствами безналичным переводом на расчётный счёт Продавца в течение"},
			[]string{"наличными", "кредитных средств"}},
		{"method not chosen yet", func(in *sales.ContractInput) {
			in.Lines = nil
			in.Amount = rub("900000")
			in.PaymentMethod = ""
			in.CreditAmount, in.CreditBank, in.TradeInAmount, in.TradeInVehicle, in.Prepayment = crm.Money{}, "", crm.Money{}, "", crm.Money{}
		}, []string{"наличными в кассу Продавца или безналичным переводом на его расчётный счёт"}, nil},
		{"new car, manufacturer's warranty, no VAT", func(in *sales.ContractInput) {
			in.Lines = nil
			in.Vehicle.Finance.VATRate = in.Vehicle.Finance.VATRate.Sub(in.Vehicle.Finance.VATRate)
			in.WarrantyMonths, in.WarrantyKm = 0, 0
		}, []string{"устанавливаются изготовителем", "НДС не облагается.", "в том числе НДС: | без НДС"}, nil},
		{"warranty in months only", func(in *sales.ContractInput) { in.WarrantyKm = 0; in.WarrantyMonths = 24 },
			[]string{"составляет 24 месяца с даты передачи"}, nil},
		{"euro contract", func(in *sales.ContractInput) {
			eur := func(s string) crm.Money { return crm.MustMoney(s, "EUR") }
			in.Lines = nil
			in.Amount = eur("30000")
			in.CreditAmount, in.CreditBank, in.TradeInAmount, in.TradeInVehicle, in.Prepayment = crm.Money{}, "", crm.Money{}, "", crm.Money{}
			in.PaymentMethod = sales.PayCash
		}, []string{"Цена, EUR", "30 000,00 EUR,"}, []string{"рублей", "руб."}},
		{"unsigned dealer", func(in *sales.ContractInput) { in.Signatory = sales.Signatory{} },
			[]string{"действует представитель ______________________ на основании ______________________"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := text(build(t, tc.edit))
			contains(t, got, tc.want...)
			for _, w := range tc.without {
				if strings.Contains(got, w) {
					t.Errorf("unexpected %q in:\n%s", w, got)
				}
			}
		})
	}
}

func TestTemplateEscapesContractData(t *testing.T) {
	doc := build(t, func(in *sales.ContractInput) {
		in.Customer.LastName = `<b>Хакер</b></p><pagebreak/>`
		in.Customer.FirstName = `"Иван"`
		in.Customer.Address.Street = "ул. <script>alert(1)</script> & Co"
	})
	got := text(doc)
	contains(t, got, `<b>Хакер</b></p><pagebreak/> "Иван" Сергеевич`, "ул. <script>alert(1)</script> & Co")
	for _, b := range doc.Blocks {
		if _, ok := b.(layout.PageBreak); ok {
			t.Error("a page break was injected through the buyer's name")
		}
	}
	sig := doc.Blocks[len(doc.Blocks)-1].(layout.Signatures)
	if sig.Parties[1].Signer != `<b>Хакер</b></p><pagebreak/> ".`+"\u00a0С." {
		t.Errorf("signer attribute = %q", sig.Parties[1].Signer)
	}
}

func TestNewTemplate(t *testing.T) {
	if _, err := layout.NewTemplate("broken", "<doc>{{.Number</doc>"); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("NewTemplate(broken) = %v, want crm.ErrInvalid", err)
	}
	tpl, err := layout.NewTemplate("mini", `<doc title="{{upper .City}}"><p>{{money .Totals.Total}} · {{num .Vehicle.Mileage}} · {{inc 1}} · {{join .Buyer.Phones ", "}}</p></doc>`)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tpl.Build(layouttest.Contract())
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "МОСКВА" || layout.PlainText(doc.Blocks[0].(layout.Paragraph).Runs) != "1\u00a0250\u00a0000,50\u00a0руб. · 0 · 2 · +79000000000" {
		t.Errorf("doc = %#v", doc)
	}
	if _, err := tpl.Build(sales.Contract{}); err != nil {
		t.Errorf("Build of an empty contract: %v", err)
	}
}

func TestFuncsAreDocumented(t *testing.T) {
	for name := range layout.Funcs() {
		if !strings.Contains(layout.ContractTemplate+funcsDoc, name) {
			t.Errorf("template function %q is neither used by the default template nor listed", name)
		}
	}
}

// funcsDoc lists the functions the default template does not use, documented on layout.Funcs.
const funcsDoc = "upper"

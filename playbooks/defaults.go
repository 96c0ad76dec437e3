package playbooks

import (
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// workingDay is a working day of the default sales hours (09:00–21:00) in minutes: steps are due in working
// minutes, so "a day" of the defaults is a day of the showroom's hours, not 24 wall-clock hours.
const workingDay = 12 * 60

// DefaultSteps returns the automotive steps a dealer starts with for the stage of subject with code (the codes of
// leads.DefaultLeadStages and sales.DefaultStages), titled in Russian with an English title beside; none for a
// code without defaults (closed stages, a dealer's own stages). The table is in docs/playbooks.md.
//
// Required by default are only the steps a sale cannot do without: the credit application of a sale paid by credit
// (before leaving the proposal) and the purchase contract (before the win). The first call of a new lead is watched
// by the response-time target instead, and a customer may decline a test drive; a dealer makes them required
// with PUT /api/v1/playbooks/{stage_id}.
func DefaultSteps(subject crm.SubjectKind, code string) []Step {
	switch subject {
	case crm.SubjectLead:
		switch code {
		case leads.StageNew:
			return []Step{{Key: "first_call", Title: "Позвонить клиенту в течение 15 минут", TitleEn: "Call the customer within 15 minutes",
				DueMinutes: 15, CompletesOn: crm.EventCallCompleted}}
		case leads.StageInWork:
			return []Step{
				{Key: "needs", Title: "Выявить потребность: модель, бюджет, способ оплаты, trade-in", TitleEn: "Find out the need: model, budget, payment, trade-in", DueMinutes: workingDay},
				{Key: "book_test_drive", Title: "Записать на тест-драйв", TitleEn: "Book a test drive", DueMinutes: 3 * workingDay, CompletesOn: crm.EventTestDriveBooked},
			}
		case leads.StageQualified:
			return []Step{{Key: "offer", Title: "Отправить коммерческое предложение", TitleEn: "Send the offer", DueMinutes: workingDay}}
		}
	case crm.SubjectSale:
		switch code {
		case "new":
			return []Step{{Key: "contact", Title: "Связаться с клиентом и подтвердить интерес", TitleEn: "Contact the customer and confirm the interest",
				DueMinutes: 60, CompletesOn: crm.EventCallCompleted}}
		case "needs_discovery":
			return []Step{{Key: "needs", Title: "Провести встречу: потребность, бюджет, способ оплаты", TitleEn: "Meet the customer: need, budget, payment", DueMinutes: 2 * workingDay}}
		case "vehicle_selection":
			return []Step{{Key: "select_vehicle", Title: "Подобрать автомобиль из наличия или под заказ", TitleEn: "Pick a car from stock or to order", DueMinutes: 2 * workingDay}}
		case "test_drive":
			return []Step{{Key: "book_test_drive", Title: "Записать на тест-драйв", TitleEn: "Book a test drive", DueMinutes: 2 * workingDay,
				CompletesOn: crm.EventTestDriveBooked}}
		case "proposal":
			return []Step{
				{Key: "offer", Title: "Подготовить коммерческое предложение", TitleEn: "Prepare the offer", DueMinutes: workingDay},
				{Key: "credit_application", Title: "Оформить кредитную заявку", TitleEn: "Create the credit application", Required: true,
					DueMinutes: workingDay, CompletesOn: crm.EventCreditApplicationCreated, OnlyIf: OnlyIfCredit},
			}
		case "negotiation":
			return []Step{{Key: "terms", Title: "Согласовать цену, скидку и trade-in", TitleEn: "Agree the price, discount and trade-in", DueMinutes: 2 * workingDay}}
		case "contract":
			return []Step{{Key: "purchase_contract", Title: "Сформировать договор купли-продажи", TitleEn: "Generate the purchase contract", Required: true,
				DueMinutes: workingDay, CompletesOn: crm.EventContractFormed}}
		}
	}
	return nil
}

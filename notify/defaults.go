package notify

import "strings"

// defaults are the shipped templates: kind → language → subject and text. Their HTML is the text as paragraphs
// (htmlOf).
var defaults = map[Kind]map[string][2]string{
	KindTestDriveBooked: {
		"ru": {"Тест-драйв {{.vehicle}} {{.date}} в {{.time}}",
			"Здравствуйте{{with .name}}, {{.}}{{end}}!\n\nВы записаны на тест-драйв {{.vehicle}} {{.date}} в {{.time}}.{{with .dealer}}\nЖдём вас: {{.}}{{with $.address}}, {{.}}{{end}}.{{end}}\n"},
		"en": {"Test drive of {{.vehicle}} on {{.date}} at {{.time}}",
			"Hello{{with .name}} {{.}}{{end}},\n\nyour test drive of {{.vehicle}} is booked for {{.date}} at {{.time}}.{{with .dealer}}\nWe look forward to seeing you at {{.}}{{with $.address}}, {{.}}{{end}}.{{end}}\n"},
	},
	KindTestDriveReminder: {
		"ru": {"Напоминание: тест-драйв {{.vehicle}} {{.date}} в {{.time}}",
			"Здравствуйте{{with .name}}, {{.}}{{end}}!\n\nНапоминаем: тест-драйв {{.vehicle}} {{.date}} в {{.time}}.{{with .dealer}}\nЖдём вас: {{.}}{{with $.address}}, {{.}}{{end}}.{{end}}\n"},
		"en": {"Reminder: test drive of {{.vehicle}} on {{.date}} at {{.time}}",
			"Hello{{with .name}} {{.}}{{end}},\n\na reminder: your test drive of {{.vehicle}} is on {{.date}} at {{.time}}.{{with .dealer}}\nSee you at {{.}}{{with $.address}}, {{.}}{{end}}.{{end}}\n"},
	},
	KindTestDriveCancelled: {
		"ru": {"Тест-драйв {{.date}} в {{.time}} отменён",
			"Здравствуйте{{with .name}}, {{.}}{{end}}!\n\nВаш тест-драйв {{.vehicle}} {{.date}} в {{.time}} отменён.\n"},
		"en": {"Test drive on {{.date}} at {{.time}} cancelled",
			"Hello{{with .name}} {{.}}{{end}},\n\nyour test drive of {{.vehicle}} on {{.date}} at {{.time}} is cancelled.\n"},
	},
	KindServiceReminder: {
		"ru": {"Напоминание: сервис {{.date}} в {{.time}}",
			"Здравствуйте{{with .name}}, {{.}}{{end}}!\n\nНапоминаем о записи на сервис {{.date}} в {{.time}}{{with .vehicle}} ({{.}}){{end}}.{{with .dealer}}\nЖдём вас: {{.}}{{with $.address}}, {{.}}{{end}}.{{end}}\n"},
		"en": {"Reminder: service on {{.date}} at {{.time}}",
			"Hello{{with .name}} {{.}}{{end}},\n\na reminder of your service appointment on {{.date}} at {{.time}}{{with .vehicle}} ({{.}}){{end}}.{{with .dealer}}\nSee you at {{.}}{{with $.address}}, {{.}}{{end}}.{{end}}\n"},
	},
	KindSaleWon: {
		"ru": {"Поздравляем с покупкой: {{.vehicle}}",
			"Здравствуйте{{with .name}}, {{.}}{{end}}!\n\nПоздравляем с покупкой автомобиля {{.vehicle}}{{with .vin}} (VIN {{.}}){{end}}. Спасибо, что выбрали нас!\n"},
		"en": {"Congratulations on your {{.vehicle}}",
			"Hello{{with .name}} {{.}}{{end}},\n\ncongratulations on your new {{.vehicle}}{{with .vin}} (VIN {{.}}){{end}}. Thank you for choosing us!\n"},
	},
	KindMaintenanceDue: {
		"ru": {"Пора на ТО: {{.vehicle}}",
			"Здравствуйте{{with .name}}, {{.}}{{end}}!\n\nВашему автомобилю {{.vehicle}} пора на техническое обслуживание{{with .due_date}} (до {{.}}){{end}}. Запишитесь на удобное время.\n{{with .unsubscribe_url}}\nОтписаться от рассылки: {{.}}\n{{end}}"},
		"en": {"Maintenance due: {{.vehicle}}",
			"Hello{{with .name}} {{.}}{{end}},\n\nyour {{.vehicle}} is due for maintenance{{with .due_date}} (by {{.}}){{end}}. Book a time that suits you.\n{{with .unsubscribe_url}}\nUnsubscribe: {{.}}\n{{end}}"},
	},
	KindWarrantyExpiring: {
		"ru": {"Гарантия на {{.vehicle}} заканчивается",
			"Здравствуйте{{with .name}}, {{.}}{{end}}!\n\nГарантия на ваш автомобиль {{.vehicle}} заканчивается{{with .valid_to}} {{.}}{{end}}. Успейте пройти осмотр по гарантии.\n{{with .unsubscribe_url}}\nОтписаться от рассылки: {{.}}\n{{end}}"},
		"en": {"The warranty of your {{.vehicle}} is ending",
			"Hello{{with .name}} {{.}}{{end}},\n\nthe warranty of your {{.vehicle}} ends{{with .valid_to}} on {{.}}{{end}}. Have it inspected under warranty while you can.\n{{with .unsubscribe_url}}\nUnsubscribe: {{.}}\n{{end}}"},
	},
	KindCampaign: {
		"ru": {"{{.campaign}}",
			"Здравствуйте{{with .name}}, {{.}}{{end}}!\n\n{{.campaign}}{{with .vehicle}}: {{.}}{{end}}{{with .date}}, {{.}}{{end}}{{with .time}} в {{.}}{{end}}.\n{{with .unsubscribe_url}}\nОтписаться от рассылки: {{.}}\n{{end}}"},
		"en": {"{{.campaign}}",
			"Hello{{with .name}} {{.}}{{end}},\n\n{{.campaign}}{{with .vehicle}}: {{.}}{{end}}{{with .date}}, {{.}}{{end}}{{with .time}} at {{.}}{{end}}.\n{{with .unsubscribe_url}}\nUnsubscribe: {{.}}\n{{end}}"},
	},
}

// Default returns the shipped template of kind in language ("ru" or "en"; another language gets Russian); ok
// is false for a kind without one.
func Default(kind Kind, language string) (Template, bool) {
	byLang, ok := defaults[kind]
	if !ok {
		return Template{}, false
	}
	st, ok := byLang[language]
	if !ok {
		language, st = "ru", byLang["ru"]
	}
	return Template{Kind: kind, Language: language, Subject: st[0], Text: st[1], HTML: htmlOf(st[1])}, true
}

// htmlOf turns a text template into an HTML one: paragraphs at blank lines, line breaks within them. The
// actions stay, and html/template escapes what they print.
func htmlOf(text string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>`)
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(strings.TrimSpace(para), "\n", "<br>\n"))
		b.WriteString("</p>\n")
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

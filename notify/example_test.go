package notify_test

import (
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// The shipped templates exist for every kind in Russian and English; a dealer's own replace them
// (Service.SaveTemplate).
func ExampleDefault() {
	t, _ := notify.Default(notify.KindTestDriveReminder, "ru")
	fmt.Println(t.Subject)
	t, _ = notify.Default(notify.KindTestDriveReminder, "en")
	fmt.Println(t.Subject)
	// Output:
	// Напоминание: тест-драйв {{.vehicle}} {{.date}} в {{.time}}
	// Reminder: test drive of {{.vehicle}} on {{.date}} at {{.time}}
}

// A reminder's outbox ID is derived from its booking and start, so the outbox holds it once; a booking moved to
// another time gets another reminder.
func ExampleReminderID() {
	drive, _ := crm.ParseID("id", "0f6e8c1a-3b2d-4c5e-8f90-1a2b3c4d5e6f")
	start := time.Date(2026, 11, 28, 7, 0, 0, 0, time.UTC)
	a := notify.ReminderID(notify.KindTestDriveReminder, drive, start)
	b := notify.ReminderID(notify.KindTestDriveReminder, drive, start)
	moved := notify.ReminderID(notify.KindTestDriveReminder, drive, start.Add(time.Hour))
	fmt.Println(a == b, a == moved)
	// Output: true false
}

// A secret prints, logs and encodes as [redacted]; only Reveal gives its value.
func ExampleSecret() {
	box := notify.Mailbox{Username: "info@sever-auto.ru", Password: "app-password"}
	fmt.Println(box.Password, box.Password.IsSet())
	fmt.Printf("%v %q\n", box.Password, box.Password)
	// Output:
	// [redacted] true
	// [redacted] [redacted]
}

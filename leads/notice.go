package leads

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// TopicTestDriveBooked is the outbox topic of the notice sent when a test drive is booked.
const TopicTestDriveBooked = "test_drive.booked"

// BookedNotice builds the notice telling the driver (recipient: an e-mail or phone) that drive d of vehicle v is
// booked, in Russian and English, with the date and time in loc; dealer names the place (may be zero).
func BookedNotice(d TestDrive, v catalog.Vehicle, name, recipient string, dealer crm.Dealer, loc *time.Location, now time.Time) crm.Message {
	start, end := d.Start.In(loc), d.End.In(loc)
	date, from, to, zone := start.Format("02.01.2006"), start.Format("15:04"), end.Format("15:04"), start.Format("MST")
	greetRU, greetEN := "Здравствуйте!", "Hello,"
	if name = strings.TrimSpace(name); name != "" {
		greetRU, greetEN = "Здравствуйте, "+name+"!", "Hello "+name+","
	}
	where := ""
	if dealer.Name != "" {
		where = dealer.Name
		if a := dealer.Address.String(); a != "" {
			where += ", " + a
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nВы записаны на тест-драйв %s %s с %s до %s (%s).\n", greetRU, v.Name(), date, from, to, zone)
	if where != "" {
		fmt.Fprintf(&b, "Ждём вас: %s.\n", where)
	}
	fmt.Fprintf(&b, "\n%s\nyour test drive of %s is booked for %s, %s–%s (%s).\n", greetEN, v.Name(), date, from, to, zone)
	if where != "" {
		fmt.Fprintf(&b, "We look forward to seeing you at %s.\n", where)
	}
	data := map[string]string{
		"test_drive_id": d.ID.String(),
		"vehicle_id":    v.ID.String(),
		"vehicle":       v.Name(),
		"start":         d.Start.UTC().Format(time.RFC3339),
		"end":           d.End.UTC().Format(time.RFC3339),
		"start_local":   start.Format(time.RFC3339),
		"time_zone":     loc.String(),
	}
	if d.LeadID != (crm.ID{}) {
		data["lead_id"] = d.LeadID.String()
	}
	if d.CustomerID != (crm.ID{}) {
		data["customer_id"] = d.CustomerID.String()
	}
	return crm.Message{
		DealerID:  d.DealerID,
		Topic:     TopicTestDriveBooked,
		Recipient: recipient,
		Subject:   fmt.Sprintf("Тест-драйв %s в %s / Test drive on %s at %s", date, from, date, from),
		Body:      b.String(),
		Data:      data,
		CreatedAt: now,
	}
}

// TopicTestDriveCancelled is the outbox topic of the notice sent when a booked test drive is cancelled.
const TopicTestDriveCancelled = "test_drive.cancelled"

// CancelledNotice builds the notice telling the driver (recipient: an e-mail or phone) that drive d of vehicle v,
// planned at its start in loc, is cancelled, in Russian and English.
func CancelledNotice(d TestDrive, v catalog.Vehicle, name, recipient string, loc *time.Location, now time.Time) crm.Message {
	start := d.Start.In(loc)
	date, from := start.Format("02.01.2006"), start.Format("15:04")
	greetRU, greetEN := "Здравствуйте!", "Hello,"
	if name = strings.TrimSpace(name); name != "" {
		greetRU, greetEN = "Здравствуйте, "+name+"!", "Hello "+name+","
	}
	body := fmt.Sprintf("%s\nВаш тест-драйв %s %s в %s отменён.\n\n%s\nyour test drive of %s on %s at %s is cancelled.\n",
		greetRU, v.Name(), date, from, greetEN, v.Name(), date, from)
	m := crm.Message{
		DealerID:  d.DealerID,
		Topic:     TopicTestDriveCancelled,
		Recipient: recipient,
		Subject:   fmt.Sprintf("Тест-драйв %s в %s отменён / Test drive on %s at %s cancelled", date, from, date, from),
		Body:      body,
		Data: map[string]string{"test_drive_id": d.ID.String(), "vehicle_id": v.ID.String(), "vehicle": v.Name(),
			"start": d.Start.UTC().Format(time.RFC3339), "start_local": start.Format(time.RFC3339), "time_zone": loc.String(),
			"reason": d.CancelReason},
		CreatedAt: now,
	}
	// The driver's lead or customer, whose consent the notice follows.
	if d.LeadID != (crm.ID{}) {
		m.Data["lead_id"] = d.LeadID.String()
	}
	if d.CustomerID != (crm.ID{}) {
		m.Data["customer_id"] = d.CustomerID.String()
	}
	return m
}

package postgres

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// consentDoc is one consent of a contact as stored: in a lead's doc, and in customers.consents (migration 062).
type consentDoc struct {
	Channel string    `json:"channel"`
	Purpose string    `json:"purpose"`
	Granted bool      `json:"granted"`
	At      time.Time `json:"at"`
	Source  string    `json:"source"`
}

// consentDocsOf stores consents (never null: an empty list).
func consentDocsOf(cs crm.Consents) []consentDoc {
	out := make([]consentDoc, 0, len(cs))
	for _, c := range cs {
		out = append(out, consentDoc{Channel: string(c.Channel), Purpose: string(c.Purpose), Granted: c.Granted,
			At: c.At.UTC(), Source: string(c.Source)})
	}
	return out
}

// consentsOf reads stored consents (nil when none).
func consentsOf(ds []consentDoc) crm.Consents {
	if len(ds) == 0 {
		return nil
	}
	out := make(crm.Consents, 0, len(ds))
	for _, d := range ds {
		out = append(out, crm.Consent{Channel: crm.ConsentChannel(d.Channel), Purpose: crm.ConsentPurpose(d.Purpose),
			Granted: d.Granted, At: d.At.UTC(), Source: crm.ConsentSource(d.Source)})
	}
	return out
}

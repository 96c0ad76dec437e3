package httpapi

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// consentIn is one consent a customer or lead create or PATCH body sets.
type consentIn struct {
	Channel string  `json:"channel" oa:"required" enum:"ConsentChannel"`
	Purpose string  `json:"purpose" oa:"required" enum:"ConsentPurpose"`
	Granted *bool   `json:"granted" oa:"required" doc:"true: consent given; false: withdrawn"`
	Source  string  `json:"source,omitempty" enum:"ConsentSource" doc:"where it was given or withdrawn: form, api (default) or import; unsubscribe_link is the link's own (withdrawal only)"`
	At      *string `json:"at,omitempty" format:"date-time" doc:"when it was given or withdrawn elsewhere (a paper form, an import); default: now; a time after now is refused (422 naming consents[i].at)"`
}

// consent is the kernel's consent (validated by the domain); a malformed at is left zero (now).
func (c consentIn) consent() crm.Consent {
	out := crm.Consent{Channel: crm.ConsentChannel(c.Channel), Purpose: crm.ConsentPurpose(c.Purpose),
		Granted: c.Granted != nil && *c.Granted, Source: crm.ConsentSource(c.Source)}
	if c.At != nil {
		if t, err := time.Parse(time.RFC3339Nano, *c.At); err == nil {
			out.At = t
		}
	}
	return out
}

// consentsInOf is the input form of stored consents, for merge patches: the stored word without its time and
// source, which a repeated word keeps.
func consentsInOf(cs crm.Consents) []consentIn {
	var out []consentIn
	for _, c := range cs {
		granted := c.Granted
		out = append(out, consentIn{Channel: string(c.Channel), Purpose: string(c.Purpose), Granted: &granted})
	}
	return out
}

// consentOut is a consent as answers show it.
type consentOut struct {
	Channel string `json:"channel" enum:"ConsentChannel"`
	Purpose string `json:"purpose" enum:"ConsentPurpose"`
	Granted bool   `json:"granted" doc:"true: given; false: withdrawn"`
	At      stamp  `json:"at" doc:"when it was given or withdrawn"`
	Source  string `json:"source" enum:"ConsentSource"`
}

func consentViews(cs crm.Consents) []consentOut {
	out := make([]consentOut, 0, len(cs))
	for _, c := range cs {
		out = append(out, consentOut{Channel: string(c.Channel), Purpose: string(c.Purpose), Granted: c.Granted,
			At: stampOf(c.At), Source: string(c.Source)})
	}
	return out
}

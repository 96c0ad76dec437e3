package crm

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ConsentChannel is a way a contact may be reached: by e-mail or by SMS.
type ConsentChannel string

// The channels a consent is given for.
const (
	ConsentEmail ConsentChannel = "email"
	ConsentSMS   ConsentChannel = "sms"
)

// ConsentPurpose is what a contact may be told: notices about its own bookings and purchases (service) or
// marketing (campaigns, mailings).
type ConsentPurpose string

// The purposes a consent is given for.
const (
	// PurposeService covers notices about the contact's own test drives, appointments and purchases, and their
	// reminders. They go unless the contact withdrew (no consent recorded is no objection).
	PurposeService ConsentPurpose = "service"
	// PurposeMarketing covers campaigns and mailings. They go only where the contact gave consent (opt-in).
	PurposeMarketing ConsentPurpose = "marketing"
)

// ConsentSource is where a consent was given or withdrawn.
type ConsentSource string

// The sources of a consent.
const (
	ConsentFromForm        ConsentSource = "form"             // a form the contact filled in (web, paper)
	ConsentFromAPI         ConsentSource = "api"              // set through the API by a user (the default)
	ConsentFromUnsubscribe ConsentSource = "unsubscribe_link" // the unsubscribe link of a message: withdrawn only
	ConsentFromImport      ConsentSource = "import"           // imported from another system, with its own time
)

// ConsentChannels, ConsentPurposes and ConsentSources list the values.
func ConsentChannels() []ConsentChannel { return []ConsentChannel{ConsentEmail, ConsentSMS} }

// ConsentPurposes lists the purposes.
func ConsentPurposes() []ConsentPurpose { return []ConsentPurpose{PurposeService, PurposeMarketing} }

// ConsentSources lists the sources.
func ConsentSources() []ConsentSource {
	return []ConsentSource{ConsentFromForm, ConsentFromAPI, ConsentFromUnsubscribe, ConsentFromImport}
}

// Consent is a contact's latest word about being reached on one channel for one purpose: given (Granted) or
// withdrawn, when (At, UTC) and where (Source).
type Consent struct {
	Channel ConsentChannel `json:"channel"`
	Purpose ConsentPurpose `json:"purpose"`
	Granted bool           `json:"granted"`
	At      time.Time      `json:"at"`
	Source  ConsentSource  `json:"source"`
}

// Consents are a contact's consents, at most one per channel and purpose, ordered by channel then purpose.
type Consents []Consent

// Find returns the consent for channel and purpose, if the contact gave or withdrew one.
func (cs Consents) Find(ch ConsentChannel, p ConsentPurpose) (Consent, bool) {
	for _, c := range cs {
		if c.Channel == ch && c.Purpose == p {
			return c, true
		}
	}
	return Consent{}, false
}

// Allows reports whether a message of purpose may go to the contact on channel: for service, unless it withdrew;
// for marketing, only if it gave consent.
func (cs Consents) Allows(ch ConsentChannel, p ConsentPurpose) bool {
	c, ok := cs.Find(ch, p)
	if !ok {
		return p == PurposeService
	}
	return c.Granted
}

// Clone returns a copy that shares nothing with cs.
func (cs Consents) Clone() Consents {
	if cs == nil {
		return nil
	}
	return slices.Clone(cs)
}

// check validates the consents, naming each wrong one as prefix+"consents[i].field".
func (cs Consents) check(p *Problems, prefix string) {
	seen := map[string]int{}
	for i, c := range cs {
		f := fmt.Sprintf("%sconsents[%d].", prefix, i)
		if !slices.Contains(ConsentChannels(), c.Channel) {
			p.Add(f+"channel", "must be email or sms")
		}
		if !slices.Contains(ConsentPurposes(), c.Purpose) {
			p.Add(f+"purpose", "must be service or marketing")
		}
		if c.Source != "" && !slices.Contains(ConsentSources(), c.Source) {
			p.Add(f+"source", "must be one of form, api, unsubscribe_link, import")
		}
		if c.Source == ConsentFromUnsubscribe && c.Granted {
			p.Add(f+"source", "an unsubscribe link only withdraws consent")
		}
		key := string(c.Channel) + "/" + string(c.Purpose)
		if j, dup := seen[key]; dup {
			p.Add(f+"channel", "consents[%d] is for the same channel and purpose", j)
		}
		seen[key] = i
	}
}

// CheckAt records each consent dated after now as prefix+"consents[i].at": a word cannot be given in the future.
// A zero At is fine (it means now).
func (cs Consents) CheckAt(p *Problems, prefix string, now time.Time) {
	for i, c := range cs {
		if c.At.After(now) {
			p.Add(fmt.Sprintf("%sconsents[%d].at", prefix, i), "must not be in the future")
		}
	}
}

// Settle returns the consents of a contact whose stored ones are stored after it was given cs (its changes):
// an entry of cs that repeats the stored word for its channel and purpose keeps the stored time and source; a
// new word is dated at its At when given (an import; one after now is refused by CheckAt before), else at now, with the source API when it
// names none; the stored entries cs does not mention are kept. The result is ordered by channel then purpose.
func (cs Consents) Settle(stored Consents, now time.Time) Consents {
	out := stored.Clone()
	for _, c := range cs {
		if old, ok := stored.Find(c.Channel, c.Purpose); ok && old.Granted == c.Granted {
			continue
		}
		if c.At.IsZero() || c.At.After(now) {
			c.At = now
		}
		c.At = c.At.UTC()
		if c.Source == "" {
			c.Source = ConsentFromAPI
		}
		i := slices.IndexFunc(out, func(o Consent) bool { return o.Channel == c.Channel && o.Purpose == c.Purpose })
		if i >= 0 {
			out[i] = c
		} else {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Consent) int {
		return strings.Compare(string(a.Channel)+"/"+string(a.Purpose), string(b.Channel)+"/"+string(b.Purpose))
	})
	return out
}

// Withdraw returns cs with consent for channel withdrawn for every purpose at now from source (an entry already
// withdrawn keeps its time and source).
func (cs Consents) Withdraw(ch ConsentChannel, now time.Time, source ConsentSource) Consents {
	var change Consents
	for _, p := range ConsentPurposes() {
		change = append(change, Consent{Channel: ch, Purpose: p, Granted: false, Source: source})
	}
	return change.Settle(cs, now)
}

// Unsubscribe returns cs after the unsubscribe link of a message was followed at now: every purpose withdrawn on
// every channel — an unsubscribed person gets nothing more from the dealer, by e-mail or SMS, until consent is
// given again (an entry already withdrawn keeps its time and source).
func (cs Consents) Unsubscribe(now time.Time) Consents {
	var change Consents
	for _, ch := range ConsentChannels() {
		for _, p := range ConsentPurposes() {
			change = append(change, Consent{Channel: ch, Purpose: p, Granted: false, Source: ConsentFromUnsubscribe})
		}
	}
	return change.Settle(cs, now)
}

// Latest returns, per channel and purpose, the later word of cs and other (cs's when both are of one time): the
// consents of two records of one person brought together (a customer merge), so a withdrawal is never lost to an
// older consent.
func (cs Consents) Latest(other Consents) Consents {
	out := cs.Clone()
	for _, o := range other {
		i := slices.IndexFunc(out, func(c Consent) bool { return c.Channel == o.Channel && c.Purpose == o.Purpose })
		switch {
		case i < 0:
			out = append(out, o)
		case o.At.After(out[i].At):
			out[i] = o
		}
	}
	slices.SortFunc(out, func(a, b Consent) int {
		return strings.Compare(string(a.Channel)+"/"+string(a.Purpose), string(b.Channel)+"/"+string(b.Purpose))
	})
	return out
}

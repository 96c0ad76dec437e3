package crm

// PartyKinds returns every party kind: person, company.
func PartyKinds() []PartyKind { return []PartyKind{Person, Company} }

// MessageStatuses returns every state of an outbox message.
func MessageStatuses() []MessageStatus {
	return []MessageStatus{MessagePending, MessageSent, MessageDead}
}

// MaxMileage is the highest odometer reading, in km, any record accepts (vehicle cards, test drives, customer
// vehicles): far beyond any car's life, and within what every adapter stores.
const MaxMileage = 2_000_000

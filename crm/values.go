package crm

// PartyKinds returns every party kind: person, company.
func PartyKinds() []PartyKind { return []PartyKind{Person, Company} }

// MessageStatuses returns every state of an outbox message.
func MessageStatuses() []MessageStatus {
	return []MessageStatus{MessagePending, MessageSent, MessageDead}
}

package crm

import (
	"fmt"

	"github.com/google/uuid"
)

// ID identifies every stored record. It is a UUID; the zero value (uuid.Nil) means "no ID".
type ID = uuid.UUID

// NewID returns a fresh random (version 4) ID.
func NewID() ID { return uuid.New() }

// ParseID parses the textual form of an ID. It returns an Invalid error naming field when s is not a UUID.
func ParseID(field, s string) (ID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, Invalid("crm.ParseID", FieldError{Field: field, Message: fmt.Sprintf("%q is not a UUID", s)})
	}
	return id, nil
}

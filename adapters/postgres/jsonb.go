package postgres

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// jsonb stores any Go value as a jsonb column: jsonb{&v} scans into v, jsonb{v} writes v.
type jsonb struct{ v any }

// Value encodes the value as JSON.
func (j jsonb) Value() (driver.Value, error) {
	b, err := json.Marshal(j.v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan decodes JSON into the pointer held.
func (j jsonb) Scan(src any) error {
	switch s := src.(type) {
	case []byte:
		return json.Unmarshal(s, j.v)
	case string:
		return json.Unmarshal([]byte(s), j.v)
	case nil:
		return nil
	}
	return fmt.Errorf("jsonb: cannot scan %T", src)
}

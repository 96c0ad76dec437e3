package postgres

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// jsonb stores a value of an adapter-owned document type as a jsonb column: jsonb{&v} scans into v, jsonb{v}
// writes v. Domain types are never a storage format: a struct from outside this package (other than time.Time and
// decimal.Decimal), anywhere inside the value's type, is refused on write and on read (see storable).
type jsonb struct{ v any }

// Value encodes the value as JSON.
func (j jsonb) Value() (driver.Value, error) {
	if err := storable(reflect.TypeOf(j.v)); err != nil {
		return nil, err
	}
	b, err := json.Marshal(j.v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan decodes JSON into the pointer held.
func (j jsonb) Scan(src any) error {
	if err := storable(reflect.TypeOf(j.v)); err != nil {
		return err
	}
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

var (
	storableTypes sync.Map // reflect.Type → error (nil when storable)
	ownPkg        = reflect.TypeOf(jsonb{}).PkgPath()
	timeType      = reflect.TypeOf(time.Time{})
	decimalType   = reflect.TypeOf(decimal.Decimal{})
)

// storable reports an error when t is, or holds, a struct type that this package does not own: the stored format
// must be an adapter document, so that a domain type's json tags never double as the database format. Scalars
// (named or not, e.g. crm.ID), time.Time and decimal.Decimal may appear anywhere.
func storable(t reflect.Type) error {
	if t == nil {
		return nil
	}
	if err, ok := storableTypes.Load(t); ok {
		if err == nil {
			return nil
		}
		return err.(error)
	}
	err := checkStorable(t, map[reflect.Type]bool{})
	if err == nil {
		storableTypes.Store(t, nil)
	} else {
		storableTypes.Store(t, err)
	}
	return err
}

func checkStorable(t reflect.Type, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return checkStorable(t.Elem(), seen)
	case reflect.Map:
		if err := checkStorable(t.Key(), seen); err != nil {
			return err
		}
		return checkStorable(t.Elem(), seen)
	case reflect.Interface, reflect.Func, reflect.Chan:
		return fmt.Errorf("jsonb: %s is not a storage document", t)
	case reflect.Struct:
		if t == timeType || t == decimalType {
			return nil
		}
		if t.PkgPath() != ownPkg {
			return fmt.Errorf("jsonb: %s is not an adapter-owned document (domain types are not a storage format)", t)
		}
		for i := range t.NumField() {
			if err := checkStorable(t.Field(i).Type, seen); err != nil {
				return fmt.Errorf("%s.%s: %w", t.Name(), t.Field(i).Name, err)
			}
		}
	}
	return nil
}

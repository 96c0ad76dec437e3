package postgres

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/lib/pq"
)

// A violated constraint reaches the caller as a kind, a code and the field it guards, never by its name: the
// names are the schema's, not the API's.
func TestMapErrHidesConstraintNames(t *testing.T) {
	for _, tc := range []struct {
		err   *pq.Error
		kind  crm.Kind
		code  crm.Code
		field string // "" when no field can be told
	}{
		{&pq.Error{Code: "23505", Table: "parts", Constraint: "parts_number_unique"}, crm.KindConflict, crm.CodeDuplicate, "number"},
		{&pq.Error{Code: "23505", Table: "services", Constraint: "services_dealer_code"}, crm.KindConflict, crm.CodeDuplicate, "code"},
		{&pq.Error{Code: "23505", Table: "customers", Constraint: "customers_external_id"}, crm.KindConflict, crm.CodeDuplicate, "external_id"},
		{&pq.Error{Code: "23505", Table: "sales", Constraint: "sales_one_won_per_vehicle"}, crm.KindConflict, crm.CodeVehicleSold, "vehicle_id"},
		{&pq.Error{Code: "23505", Table: "things", Constraint: "things_pkey"}, crm.KindConflict, crm.CodeDuplicate, "id"},
		{&pq.Error{Code: "23P01", Table: "test_drives", Constraint: "test_drives_no_overlap"}, crm.KindConflict, crm.CodeTestDriveOverlap, "start"},
		{&pq.Error{Code: "23514", Table: "sales_stages", Constraint: "sales_stages_max_probability_check"}, crm.KindInvalid, crm.CodeInvalidInput, "max_probability"},
		{&pq.Error{Code: "23514", Table: "sales", Constraint: "sales_won_has_vehicle"}, crm.KindInvalid, crm.CodeInvalidInput, "vehicle_id"},
		{&pq.Error{Code: "23514", Table: "order_lines", Constraint: "order_lines_totals"}, crm.KindInvalid, crm.CodeInvalidInput, "lines"},
		{&pq.Error{Code: "23514", Table: "orders", Constraint: "orders_status_check"}, crm.KindInvalid, crm.CodeInvalidInput, "status"},
		{&pq.Error{Code: "23514", Table: "mystery", Constraint: "mystery_rule"}, crm.KindInvalid, crm.CodeInvalidInput, ""},
		{&pq.Error{Code: "23502", Table: "leads", Column: "name", Constraint: ""}, crm.KindInvalid, crm.CodeInvalidInput, "name"},
		{&pq.Error{Code: "23503", Table: "sales", Constraint: "sales_customer_id_fkey"}, crm.KindInvalid, crm.CodeInvalidInput, "customer_id"},
	} {
		t.Run(tc.err.Constraint+tc.err.Column, func(t *testing.T) {
			err := mapErr("postgres.test", fmt.Errorf("exec: %w", tc.err))
			if got := crm.KindOf(err); got != tc.kind {
				t.Errorf("kind %v, want %v", got, tc.kind)
			}
			if got := crm.CodeOf(err); got != tc.code {
				t.Errorf("code %v, want %v", got, tc.code)
			}
			shown := crm.MessageOf(err)
			for _, f := range crm.FieldsOf(err) {
				shown += " " + f.Field + " " + f.Message
			}
			if name := tc.err.Constraint; name != "" && strings.Contains(shown, name) {
				t.Errorf("the caller sees the constraint's name: %q", shown)
			}
			if strings.Contains(shown, "violates") || strings.Contains(shown, tc.err.Table+"_") {
				t.Errorf("the caller sees schema words: %q", shown)
			}
			var fields []string
			for _, f := range crm.FieldsOf(err) {
				fields = append(fields, f.Field)
			}
			if tc.field == "" {
				if len(fields) != 0 {
					t.Errorf("fields %v, want none", fields)
				}
			} else if len(fields) != 1 || fields[0] != tc.field {
				t.Errorf("fields %v, want [%s]", fields, tc.field)
			}
			if !errors.Is(err, tc.err) {
				t.Error("the driver's error must stay in the chain (for logs and retries)")
			}
			if constraintOf(err) != tc.err.Constraint {
				t.Error("constraintOf must still read the constraint")
			}
		})
	}
}

package postgres_test

import (
	"fmt"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgxdb"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
)

// pgx's errors (*pgconn.PgError, fields not methods) map to the same kinds, codes and fields as lib/pq's once
// pgxdb is imported: the SQLSTATE through SQLState(), the constraint, table and column through pgxdb.ErrorFields.
func TestMapErrReadsPgxErrors(t *testing.T) {
	for _, tc := range []struct {
		err   *pgconn.PgError
		kind  crm.Kind
		code  crm.Code
		field string
	}{
		{&pgconn.PgError{Code: "23P01", TableName: "test_drives", ConstraintName: "test_drives_no_overlap"}, crm.KindConflict, crm.CodeTestDriveOverlap, "start"},
		{&pgconn.PgError{Code: "23505", TableName: "sales", ConstraintName: "sales_one_won_per_vehicle"}, crm.KindConflict, crm.CodeVehicleSold, "vehicle_id"},
		{&pgconn.PgError{Code: "23514", TableName: "orders", ConstraintName: "orders_status_check"}, crm.KindInvalid, crm.CodeInvalidInput, "status"},
		{&pgconn.PgError{Code: "23502", TableName: "leads", ColumnName: "name"}, crm.KindInvalid, crm.CodeInvalidInput, "name"},
	} {
		t.Run(tc.err.ConstraintName+tc.err.ColumnName, func(t *testing.T) {
			err := postgres.MapErr("postgres.test", fmt.Errorf("exec: %w", tc.err))
			assert.Equal(t, tc.kind, crm.KindOf(err))
			assert.Equal(t, tc.code, crm.CodeOf(err))
			var fields []string
			for _, f := range crm.FieldsOf(err) {
				fields = append(fields, f.Field)
			}
			assert.Equal(t, []string{tc.field}, fields)
			assert.ErrorIs(t, err, tc.err)
			assert.Equal(t, tc.err.Code, postgres.SQLState(err))
		})
	}
	v, ok := pgxdb.ErrorFields(fmt.Errorf("not pgx"), 'n')
	assert.False(t, ok)
	assert.Empty(t, v)
}

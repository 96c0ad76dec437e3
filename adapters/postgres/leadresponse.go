package postgres

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/lib/pq"
)

type responsePolicyStore struct{ t *Tx }

// ResponsePolicies returns the lead response policy store of this unit of work.
func (t *Tx) ResponsePolicies() leads.ResponsePolicyStore { return responsePolicyStore{t} }

// Working hours are kept as minutes since local midnight, weekdays as 0 (Sunday) to 6.
const responsePolicyCols = `id, dealer_id, version, created_at, updated_at, target_minutes, workday_start, workday_end, weekdays, time_zone`

// responsePolicySQL reads the dealer's policy (locked in a read-write unit of work) with the dealer's directory
// version, one row whether or not the dealer has a policy: the policy is cached with the directories
// (dircache.go, migration 091), and a dealer without one caches that too.
func responsePolicySQL(lock string) string {
	return `WITH p AS (SELECT ` + responsePolicyCols + ` FROM lead_response_policies WHERE id = $1` + lock + `)
		SELECT p.` + strings.Join(strings.Split(responsePolicyCols, ", "), ", p.") + `,
		(SELECT version FROM directory_versions WHERE dealer_id = $1) FROM (SELECT 1) k LEFT JOIN p ON true`
}

var (
	responsePolicyLocked = responsePolicySQL(" FOR UPDATE")
	responsePolicyRead   = responsePolicySQL("")
)

// Get returns the dealer's policy: from the per-dealer cache when a statement of this unit of work brought the
// directory version it was cached at (creating a lead: the need type's read), else read (and cached).
func (s responsePolicyStore) Get(ctx context.Context) (leads.ResponsePolicy, error) {
	const op = "postgres.ResponsePolicies.Get"
	d, err := dealer(ctx)
	if err != nil {
		return leads.ResponsePolicy{}, err
	}
	m := s.t.dirsPolicies()
	rows, ok := []leads.ResponsePolicy(nil), false
	if m != nil {
		rows, ok = cachedDir[leads.ResponsePolicy](s.t, m, d)
	}
	if !ok {
		if rows, err = s.read(ctx, d); err != nil {
			return leads.ResponsePolicy{}, mapErr(op, err)
		}
	}
	if len(rows) == 0 {
		return leads.ResponsePolicy{}, crm.NotFound(op, "the dealer has no response policy")
	}
	p := rows[0]
	p.Weekdays = slices.Clone(p.Weekdays)
	return p, nil
}

// read reads dealer d's policy (none or one) and caches it with the directory version.
func (s responsePolicyStore) read(ctx context.Context, d crm.ID) ([]leads.ResponsePolicy, error) {
	query := responsePolicyRead
	if s.t.writable {
		query = responsePolicyLocked
	}
	var (
		id                 sql.Null[crm.ID]
		dealerID           sql.Null[crm.ID]
		version            sql.NullInt64
		createdAt, updated sql.NullTime
		target, start, end sql.NullInt64
		days               pq.Int64Array
		zone               sql.NullString
		dirVersion         sql.NullInt64
	)
	err := s.t.tx.QueryRowxContext(ctx, query, d).Scan(&id, &dealerID, &version, &createdAt, &updated, &target, &start,
		&end, &days, &zone, &dirVersion)
	if err != nil {
		return nil, err
	}
	var rows []leads.ResponsePolicy
	if id.Valid {
		p := leads.ResponsePolicy{Meta: crm.Meta{ID: id.V, DealerID: dealerID.V, Version: version.Int64,
			CreatedAt: createdAt.Time.UTC(), UpdatedAt: updated.Time.UTC()}, TimeZone: zone.String}
		p.Target, p.WorkdayStart, p.WorkdayEnd = time.Duration(target.Int64)*time.Minute,
			time.Duration(start.Int64)*time.Minute, time.Duration(end.Int64)*time.Minute
		for _, x := range days {
			p.Weekdays = append(p.Weekdays, time.Weekday(x))
		}
		rows = append(rows, p)
	}
	if m := s.t.dirsPolicies(); m != nil {
		keepDir(s.t, m, d, dirVersion, rows)
	}
	return rows, nil
}

func (s responsePolicyStore) Save(ctx context.Context, p *leads.ResponsePolicy) error {
	const op = "postgres.ResponsePolicies.Save"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	p.ID, p.DealerID = d, d
	mins := func(x time.Duration) int64 { return int64(x / time.Minute) }
	days := make(pq.Int64Array, len(p.Weekdays))
	for i, x := range p.Weekdays {
		days[i] = int64(x)
	}
	if p.Version == 0 {
		p.CreatedAt = s.t.now
	}
	p.UpdatedAt = s.t.now
	s.t.dirChanged()
	if p.Version == 0 {
		_, err := s.t.tx.ExecContext(ctx, `INSERT INTO lead_response_policies (`+responsePolicyCols+`)
			VALUES ($1, $1, 1, $2, $3, $4, $5, $6, $7, $8)`, d, p.CreatedAt.UTC(), p.UpdatedAt.UTC(), mins(p.Target),
			mins(p.WorkdayStart), mins(p.WorkdayEnd), days, p.TimeZone)
		return created(&p.Meta, mapErr(op, err))
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE lead_response_policies SET version = version + 1, updated_at = $3,
		target_minutes = $4, workday_start = $5, workday_end = $6, weekdays = $7, time_zone = $8 WHERE id = $1 AND version = $2`,
		d, p.Version, p.UpdatedAt.UTC(), mins(p.Target), mins(p.WorkdayStart), mins(p.WorkdayEnd), days, p.TimeZone)
	if err := s.t.updated(ctx, op, "lead_response_policies", d, d, res, err); err != nil {
		return err
	}
	p.Version++
	return nil
}

func (s leadStore) ListOverdueResponse(ctx context.Context, q leads.OverdueQuery) (leads.LeadPage, error) {
	d, err := dealer(ctx)
	if err != nil {
		return leads.LeadPage{}, err
	}
	afterAt, afterID, err := leads.OverdueList.DecodeTime("postgres.Leads.ListOverdueResponse", q.Cursor)
	if err != nil {
		return leads.LeadPage{}, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+leadCols+` FROM leads WHERE dealer_id = $1
		AND first_response_at IS NULL AND stage IN ('new', 'in_work', 'qualified') AND response_due_at < $2
		AND (NOT $3 OR response_notified_at IS NULL)
		AND (NOT $4 OR (response_due_at, id) > ($5, $6))
		ORDER BY response_due_at, id LIMIT $7`, d, q.Now.UTC(), q.Unnotified, q.Cursor != "", afterAt, afterID, q.Limit+1)
	out, err := collect(rows, err, "postgres.Leads.ListOverdueResponse", scanLead)
	if err != nil {
		return leads.LeadPage{}, err
	}
	page := leads.LeadPage{Items: out}
	if len(out) > q.Limit {
		page.Items = out[:q.Limit]
		last := page.Items[q.Limit-1]
		page.NextCursor = leads.OverdueList.TimeCursor(last.ResponseDueAt, last.ID)
	}
	return page, nil
}

// timeOrZero reads a nullable time as UTC, NULL as the zero time.
func timeOrZero(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

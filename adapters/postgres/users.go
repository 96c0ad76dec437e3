package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
)

type userStore struct{ t *Tx }

// Users returns the user store of this unit of work.
func (t *Tx) Users() crm.UserStore { return userStore{t} }

const userCols = `id, dealer_id, version, created_at, updated_at, name, email, role, manager_id`

func (s userStore) scan(row interface{ Scan(...any) error }) (crm.User, error) {
	var u crm.User
	var role string
	var manager uuid.NullUUID
	err := row.Scan(&u.ID, &u.DealerID, &u.Version, &u.CreatedAt, &u.UpdatedAt, &u.Name, &u.Email, &role, &manager)
	u.Role = crm.Role(role)
	if manager.Valid {
		u.ManagerID = manager.UUID
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, err
}

func (s userStore) Get(ctx context.Context, id crm.ID) (crm.User, error) {
	d, err := dealer(ctx)
	if err != nil {
		return crm.User{}, err
	}
	u, err := s.scan(s.t.tx.QueryRowxContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1 AND dealer_id = $2`, id, d))
	if isNoRows(err) {
		return crm.User{}, crm.NotFound("postgres.Users.Get", "user %s not found", id)
	}
	return u, mapErr("postgres.Users.Get", err)
}

func (s userStore) Create(ctx context.Context, u *crm.User) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&u.Meta, d, "postgres.Users.Create"); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO users (`+userCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8)`,
		u.ID, u.DealerID, u.CreatedAt, u.UpdatedAt, u.Name, u.Email, string(u.Role), nullID(u.ManagerID))
	return created(&u.Meta, mapErr("postgres.Users.Create", err))
}

func (s userStore) Update(ctx context.Context, u *crm.User) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	const op = "postgres.Users.Update"
	if u.DealerID != d {
		return crm.Forbidden(op, "record belongs to another dealer")
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE users SET version = version + 1, updated_at = $4, name = $5, email = $6,
		role = $7, manager_id = $8 WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		u.ID, d, u.Version, s.t.now, u.Name, u.Email, string(u.Role), nullID(u.ManagerID))
	if err := s.t.updated(ctx, op, "users", u.ID, d, res, err); err != nil {
		return err
	}
	u.Version++
	u.UpdatedAt = s.t.now
	return nil
}

func (s userStore) List(ctx context.Context) ([]crm.User, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+userCols+` FROM users WHERE dealer_id = $1 ORDER BY name, id`, d)
	if err != nil {
		return nil, mapErr("postgres.Users.List", err)
	}
	defer rows.Close()
	var out []crm.User
	for rows.Next() {
		u, err := s.scan(rows)
		if err != nil {
			return nil, mapErr("postgres.Users.List", err)
		}
		out = append(out, u)
	}
	return out, mapErr("postgres.Users.List", rows.Err())
}

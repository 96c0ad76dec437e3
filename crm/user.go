package crm

import (
	"context"
	"time"
)

// Role is what a user may do within their dealer; the permissions each role holds are the kernel's table
// (Permissions, Can).
type Role string

// The roles.
const (
	RoleAdmin          Role = "admin"           // everything; see Permissions for the table
	RoleSalesManager   Role = "sales_manager"   // leads, test drives, sales, orders, contracts
	RoleServiceAdvisor Role = "service_advisor" // customer vehicles and service; reads the rest
	RoleReadOnly       Role = "read_only"       // reads only
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleSalesManager, RoleServiceAdvisor, RoleReadOnly:
		return true
	}
	return false
}

// User is a person working at one dealer.
type User struct {
	Meta
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Role  Role   `json:"role"`
	// ManagerID is the user's manager, a user of the same dealer (zero: none): told with the user when a lead of
	// theirs breaches its response target, instead of the dealer's admins. Set by Team.AddUser and Team.SetManager.
	ManagerID ID `json:"manager_id,omitzero"`
}

// NewUser validates and builds a user of dealer.
func NewUser(dealer ID, u User, now time.Time) (User, error) {
	var p Problems
	p.Require("name", u.Name)
	if !u.Role.Valid() {
		p.Add("role", "must be one of admin, sales_manager, service_advisor, read_only")
	}
	if u.Email != "" && !validEmail(u.Email) {
		p.Add("email", "is not an e-mail address")
	}
	if err := p.Err("crm.NewUser"); err != nil {
		return User{}, err
	}
	u.Meta = NewMeta(dealer, now)
	return u, nil
}

// UserStore keeps the users of the context's dealer.
type UserStore interface {
	// Get returns the user; KindNotFound if missing or of another dealer.
	Get(ctx context.Context, id ID) (User, error)
	// Create saves a new user (Version becomes 1).
	Create(ctx context.Context, u *User) error
	// Update saves u if u.Version is the stored one and bumps it (stamping UpdatedAt); KindStaleVersion
	// otherwise, KindNotFound if missing or another dealer's.
	Update(ctx context.Context, u *User) error
	// List returns the dealer's users ordered by name.
	List(ctx context.Context) ([]User, error)
}

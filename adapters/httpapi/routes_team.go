package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
)

// meOut is who calls: GET /api/v1/me.
type meOut struct {
	User   userOut     `json:"user"`
	Role   crm.Role    `json:"role"`
	Dealer dealerBrief `json:"dealer"`
	// Permissions are what the caller's role may do, from the kernel's table (crm.Permissions): a UI hides what
	// is not here.
	Permissions []crm.Permission `json:"permissions"`
}

// dealerBrief is the dealer a user works for, as /me shows it.
type dealerBrief struct {
	ID       crm.ID `json:"id"`
	Name     string `json:"name"`
	Currency string `json:"currency"`
}

// userOut is a user as responses show it.
type userOut struct {
	ID        crm.ID   `json:"id"`
	Version   int64    `json:"version"`
	Name      string   `json:"name"`
	Email     string   `json:"email,omitempty"`
	Role      crm.Role `json:"role"`
	ManagerID *crm.ID  `json:"manager_id" doc:"the user's manager (told of their leads' response breaches instead of the admins); null: none"`
	CreatedAt stamp    `json:"created_at"`
	UpdatedAt stamp    `json:"updated_at"`
}

func userView(u crm.User) userOut {
	out := userOut{ID: u.ID, Version: u.Version, Name: u.Name, Email: u.Email, Role: u.Role,
		CreatedAt: stampOf(u.CreatedAt), UpdatedAt: stampOf(u.UpdatedAt)}
	if u.ManagerID != (crm.ID{}) {
		m := u.ManagerID
		out.ManagerID = &m
	}
	return out
}

// userIn is the body of POST /api/v1/users.
type userIn struct {
	Name      string   `json:"name"`
	Email     string   `json:"email,omitempty"`
	Role      crm.Role `json:"role"`
	ManagerID crm.ID   `json:"manager_id,omitzero" doc:"the user's manager: another user of the dealer"`
}

// userPatchIn is the body of PATCH /api/v1/users/{id} (a JSON merge patch): the manager, null for none.
type userPatchIn struct {
	ManagerID *crm.ID `json:"manager_id" doc:"the user's manager, another user of the dealer; null: none"`
}

// apiKeyIn is the body of POST /api/v1/users/{id}/api-keys.
type apiKeyIn struct {
	Name      string `json:"name" doc:"what the key is for, e.g. dealer website"`
	ExpiresAt string `json:"expires_at,omitempty" format:"date-time" doc:"RFC 3339; the key is refused from then on (default: never)"`
}

// apiKeyOut is an API key as responses show it (never its token).
type apiKeyOut struct {
	ID         crm.ID `json:"id"`
	Version    int64  `json:"version"`
	UserID     crm.ID `json:"user_id"`
	Name       string `json:"name"`
	Prefix     string `json:"prefix" doc:"the token's first characters, to recognise it"`
	CreatedAt  stamp  `json:"created_at"`
	LastUsedAt *stamp `json:"last_used_at" doc:"to the minute; null if never used"`
	ExpiresAt  *stamp `json:"expires_at"`
	RevokedAt  *stamp `json:"revoked_at"`
}

func apiKeyView(k crm.APIKey) apiKeyOut {
	return apiKeyOut{ID: k.ID, Version: k.Version, UserID: k.UserID, Name: k.Name, Prefix: k.Prefix,
		CreatedAt: stampOf(k.CreatedAt), LastUsedAt: stampPtr(k.LastUsedAt), ExpiresAt: stampPtr(k.ExpiresAt),
		RevokedAt: stampPtr(k.RevokedAt)}
}

// apiKeyIssuedOut is a new key with its token, shown once.
type apiKeyIssuedOut struct {
	apiKeyOut
	Token string `json:"token" doc:"the bearer token; shown only in this answer, never again"`
}

// teamRoutes serve who calls (/me), the dealer's users and their API keys.
func (h *Handler) teamRoutes() []route {
	if h.team == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/me", ID: "getMe", Tag: "team",
			Summary: "Who calls: the user, their role and dealer, and the operations the role may call",
			Access:  crm.PermRead, Status: 200, Out: meOut{}, handle: h.getMe},
		{Method: "GET", Path: "/api/v1/users", ID: "listUsers", Tag: "team", Summary: "The dealer's users, by name",
			Access: crm.PermRead, Query: withPage(), Status: 200, Out: listOut[userOut]{}, handle: h.listUsers},
		{Method: "POST", Path: "/api/v1/users", Example: obj{"name": "Анна Петрова", "email": "a.petrova@example.ru", "role": "sales_manager"}, ID: "createUser", Tag: "team", Summary: "Add a user to the dealer",
			Access: crm.PermManageUsers, Body: userIn{}, Status: 201, Out: userOut{}, ETag: true, handle: h.createUser},
		{Method: "GET", Path: "/api/v1/users/{id}", ID: "getUser", Tag: "team", Summary: "Get a user of the dealer",
			Access: crm.PermRead, Status: 200, Out: userOut{}, ETag: true, handle: h.getUser},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Example: obj{"manager_id": nil}, ID: "updateUser", IfMatch: true, Tag: "team",
			Summary: "Set or clear the user's manager (a JSON merge patch: manager_id, null for none); 422 names manager_id when it is not another user of the dealer",
			Access:  crm.PermManageUsers, Body: userPatchIn{}, Status: 200, Out: userOut{}, ETag: true, handle: h.updateUser},
		{Method: "POST", Path: "/api/v1/users/{id}/api-keys", Example: obj{"name": "интеграция"}, ID: "issueAPIKey", Tag: "team",
			Summary: "Issue an API key acting as the user; the answer holds its token, shown only once", Access: crm.PermManageUsers,
			Body: apiKeyIn{}, Status: 201, Out: apiKeyIssuedOut{}, ETag: true, handle: h.issueAPIKey},
		{Method: "DELETE", Path: "/api/v1/api-keys/{id}", ID: "revokeAPIKey", IfMatch: true, Tag: "team",
			Summary: "Revoke an API key: its token is refused from now on", Access: crm.PermManageUsers, Status: 200,
			Out: apiKeyOut{}, ETag: true, handle: h.revokeAPIKey},
	}
}

func (h *Handler) getMe(w http.ResponseWriter, r *http.Request) error {
	ri := requestInfoFrom(r.Context())
	if ri == nil || !ri.authed {
		return errUnauthenticated("send Authorization: Bearer <token>")
	}
	d, err := h.team.Dealer(r.Context())
	if err != nil {
		return err
	}
	u := ri.user
	return writeJSON(w, http.StatusOK, meOut{User: userView(u), Role: u.Role,
		Dealer: dealerBrief{ID: d.ID, Name: d.Name, Currency: string(d.Currency)}, Permissions: crm.Permissions(u.Role)})
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.team.ListUsers(r.Context())
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(u crm.User) string { return u.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, userView, next)
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) error {
	var in userIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := h.team.AddUser(r.Context(), crm.User{Name: in.Name, Email: in.Email, Role: in.Role, ManagerID: in.ManagerID})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+u.ID.String())
	return writeRecord(w, http.StatusCreated, u.Version, userView(u))
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := h.team.GetUser(r.Context(), id)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, u.Version, userView(u))
}

// updateUser applies a merge patch of manager_id: absent changes nothing, null clears it, an ID sets it.
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	patch, err := readPatch(r)
	if err != nil {
		return err
	}
	var p crm.Problems
	for k := range patch {
		if k != "manager_id" {
			p.Add(k, "is not a member of a user patch (manager_id)")
		}
	}
	raw, set := patch["manager_id"]
	var manager crm.ID
	switch v := raw.(type) {
	case nil:
	case string:
		manager = parseIDField(&p, "manager_id", v)
	default:
		p.Add("manager_id", "must be a user's ID or null")
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	var u crm.User
	if set {
		u, err = h.team.SetManager(r.Context(), id, want, manager)
	} else {
		u, err = h.team.GetUser(r.Context(), id)
		if err == nil && want != 0 && want != u.Version {
			err = crm.Stale("httpapi", "user %s is at version %d", id, u.Version)
		}
	}
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, u.Version, userView(u))
}

func (h *Handler) issueAPIKey(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in apiKeyIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	req := crm.KeyRequest{Name: in.Name}
	if in.ExpiresAt != "" {
		t := parseTime(&p, "expires_at", in.ExpiresAt)
		req.ExpiresAt = &t
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	k, token, err := h.team.IssueAPIKey(r.Context(), id, req)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeRecord(w, http.StatusCreated, k.Version, apiKeyIssuedOut{apiKeyOut: apiKeyView(k), Token: token})
}

func (h *Handler) revokeAPIKey(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	k, err := h.team.RevokeAPIKey(r.Context(), id, want)
	if err != nil {
		return err
	}
	if f, ok := h.auth.(TokenForgetter); ok {
		f.ForgetToken(k.Hash)
	}
	return writeRecord(w, http.StatusOK, k.Version, apiKeyView(k))
}

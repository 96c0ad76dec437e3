package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
)

// pathID reads the {name} path segment as an ID. A segment that is not a UUID names no record, so it answers
// 404 like any other unknown ID (documented in the package comment).
func pathID(r *http.Request, name string) (crm.ID, error) {
	s := r.PathValue(name)
	id, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		return crm.ID{}, crm.NotFound("httpapi", "%s %q is not a record id", name, s)
	}
	return id, nil
}

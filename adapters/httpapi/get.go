package httpapi

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
)

// getByID serves GET of the one record named by the path's {id}: it loads the record with get and writes its
// view, with the record's version as the ETag.
func getByID[T interface{ Metadata() crm.Meta }, V any](get func(context.Context, crm.ID) (T, error),
	view func(T) V) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		rec, err := get(r.Context(), id)
		if err != nil {
			return err
		}
		return writeRecord(w, http.StatusOK, rec.Metadata().Version, view(rec))
	}
}

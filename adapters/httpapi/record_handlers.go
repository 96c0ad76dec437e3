package httpapi

import (
	"context"
	"net/http"
	"reflect"

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

// readByID serves GET of the one record named by the path's {id} through a read that hands the record to a
// function instead of returning a copy (catalog.Service.ReadVehicle): encode appends the record's view while the
// record is read (appendVehicleJSON), and the body is written after, with the record's version as the ETag. The
// bytes are getByID's for the same view.
func readByID[T interface{ Metadata() crm.Meta }](read func(context.Context, crm.ID, func(*T) error) error,
	encode func(b []byte, rec *T) []byte) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		bp := getBuffer()
		defer putBuffer(bp)
		err = read(r.Context(), id, func(rec *T) error { // captures nothing it changes: one allocation, the closure
			setETag(w, (*rec).Metadata().Version)
			*bp = encode((*bp)[:0], rec) // afresh: a retried read calls it again
			return nil
		})
		if err != nil {
			return err
		}
		writeEncoded(w, http.StatusOK, *bp)
		return nil
	}
}

// patchByID serves a PATCH of the record at {id} as a JSON merge patch of its create body: it reads the current
// record, makes its body with bodyOf, merges the patch into it (replaces as in applyPatch), and hands the merged
// body to update with the version to write — the If-Match version, or the one just read. Without If-Match a write
// that lost a race is retried from a fresh read; with it, the stale write is the answer (412). A patch whose merged
// body equals the record's is not written: the answer is the record as it is, its version unchanged.
func patchByID[T interface{ Metadata() crm.Meta }, In any, V any](
	get func(context.Context, crm.ID) (T, error),
	bodyOf func(T) In,
	replaces map[string][]string,
	update func(ctx context.Context, id crm.ID, version int64, cur T, in In) (T, error),
	view func(T) V,
) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
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
		var out T
		err = retryStale(want, func() error {
			cur, err := get(r.Context(), id)
			if err != nil {
				return err
			}
			var in In
			rememberBody(r, &in)
			if err := applyPatch(r, bodyOf(cur), patch, replaces, &in); err != nil {
				return err
			}
			if (want == 0 || want == cur.Metadata().Version) && !pendingOf(r).has() && samePatchBody(in, bodyOf(cur)) {
				out = cur // a patch that changes nothing writes nothing and keeps the version
				return nil
			}
			out, err = update(r.Context(), id, orVersion(want, cur.Metadata().Version), cur, in)
			return err
		})
		if err != nil {
			return err
		}
		return writeRecord(w, http.StatusOK, out.Metadata().Version, view(out))
	}
}

// readAction reads what every action on one record starts with: the path's {id}, the If-Match version (0 when
// absent) and the JSON body.
func readAction[In any](r *http.Request) (id crm.ID, want int64, in In, err error) {
	if id, err = pathID(r, "id"); err != nil {
		return id, 0, in, err
	}
	if want, err = ifMatch(r); err != nil {
		return id, 0, in, err
	}
	err = decodeJSON(r, &in)
	return id, want, in, err
}

// canonicalBody is a request body with more than one way to say the same thing (a full name or its parts): its
// canonical form is what the domain receives.
type canonicalBody interface{ canonical() any }

// samePatchBody reports whether a merged patch body says what the record's own body says: equal, or equal in
// canonical form.
func samePatchBody[In any](in, cur In) bool {
	if reflect.DeepEqual(in, cur) {
		return true
	}
	a, ok := any(in).(canonicalBody)
	b, _ := any(cur).(canonicalBody)
	return ok && b != nil && reflect.DeepEqual(a.canonical(), b.canonical())
}

package adaptertest

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Paging is what RunPaging needs of one list that a store pages by keyset (crm.PageRequest).
type Paging[T any] struct {
	// Page reads one page of the list (through the store, or the service over it).
	Page func(pr crm.PageRequest) (crm.Page[T], error)
	// Insert adds the nth record the list holds (n from 0). Records inserted later come first in the list (a
	// list newest first; Insert moves the clock on).
	Insert func(n int)
	ID     func(T) crm.ID
}

// RunPaging checks a store's keyset paging: over 11 records, pages of 1, 2, 3 and 7 concatenate to the whole
// list in its order (the last page with no cursor); a record inserted between two pages is neither lost nor
// duplicated (it comes before the cursor, so the pages after it are those of the list before); a cursor that is not
// one is KindInvalid.
func RunPaging[T any](t *testing.T, p Paging[T]) {
	t.Helper()
	const n = 11
	for i := range n {
		p.Insert(i)
	}
	whole, err := p.Page(crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	require.Len(t, whole.Items, n)
	assert.Empty(t, whole.NextCursor, "one page holds the whole list")
	want := ids(whole.Items, p.ID)
	for _, size := range []int{1, 2, 3, 7} {
		var got []crm.ID
		cursor, pages := "", 0
		for {
			pg, err := p.Page(crm.PageRequest{Limit: size, Cursor: cursor})
			require.NoError(t, err)
			require.LessOrEqual(t, len(pg.Items), size)
			got = append(got, ids(pg.Items, p.ID)...)
			pages++
			if pg.NextCursor == "" {
				break
			}
			require.Less(t, pages, n+2, "pages of %d do not end", size)
			cursor = pg.NextCursor
		}
		assert.Equal(t, want, got, "pages of %d", size)
		assert.Equal(t, (n+size-1)/size, pages, "pages of %d", size)
	}

	first, err := p.Page(crm.PageRequest{Limit: 3})
	require.NoError(t, err)
	p.Insert(n)
	var rest []crm.ID
	for cursor := first.NextCursor; cursor != ""; {
		pg, err := p.Page(crm.PageRequest{Limit: 3, Cursor: cursor})
		require.NoError(t, err)
		rest = append(rest, ids(pg.Items, p.ID)...)
		cursor = pg.NextCursor
	}
	assert.Equal(t, want, append(ids(first.Items, p.ID), rest...), "a record inserted between pages: none lost, none twice")
	after, err := p.Page(crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	assert.Len(t, after.Items, n+1, "the inserted record is in the list")

	_, err = p.Page(crm.PageRequest{Limit: 3, Cursor: "not a cursor!"})
	assert.ErrorIs(t, err, crm.ErrInvalid)
	assert.Equal(t, []string{"cursor"}, fieldNames(err))
}

func ids[T any](items []T, id func(T) crm.ID) []crm.ID {
	out := make([]crm.ID, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

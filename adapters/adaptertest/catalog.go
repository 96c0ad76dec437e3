package adaptertest

import "testing"

// CatalogBackend hands out the catalog unit of work.
type CatalogBackend interface{}

func runCatalog(t *testing.T, open Open) {}

package adaptertest

import "testing"

// LeadsBackend hands out the leads unit of work.
type LeadsBackend interface{}

func runLeads(t *testing.T, open Open) {}

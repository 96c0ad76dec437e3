package leads

// The closed sets of this package, each in display order; the HTTP layer's OpenAPI enums are made from them.

// SourceValues returns every lead source (a copy of Sources).
func SourceValues() []Source { return append([]Source(nil), Sources...) }

// TestDriveStatuses returns every test-drive status.
func TestDriveStatuses() []TestDriveStatus {
	return []TestDriveStatus{TestDriveBooked, TestDriveCompleted, TestDriveCancelled, TestDriveNoShow}
}

// StageKinds returns every lead-stage kind.
func StageKinds() []StageKind { return []StageKind{StageOpen, StageWon, StageLost} }

// ImportStatuses returns every outcome of an imported prospect.
func ImportStatuses() []ImportStatus { return []ImportStatus{ImportCreated, ImportDuplicate} }

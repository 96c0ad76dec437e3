-- Drives lasting longer than leads.MaxDriveLength (25 hours): RecordTestDrive refuses them since migration 095's
-- calendar reads (which read the starts in [from - 25 h, to) from test_drives_page), but a database made before
-- may hold some. The calendar's statements widen their lower bound by the longest of these, found through this
-- index, which is empty unless such old drives exist.
CREATE INDEX IF NOT EXISTS test_drives_longer_than_a_day ON test_drives (dealer_id)
	WHERE end_at - start_at > interval '25 hours';

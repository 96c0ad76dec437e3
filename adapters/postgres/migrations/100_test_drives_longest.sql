-- A recorded test drive may last longer than leads.MaxDriveLength (25 hours) again (outside review N5): the
-- calendar's statements widen their lower bound by the longest of the dealer's drives longer than that, read from
-- this index in one probe (its last entry for the dealer), however many the dealer has. Partial, so a booking
-- (never longer) does not write it. It replaces 099's index on dealer_id alone, which made max() read every such
-- drive of the dealer.
CREATE INDEX IF NOT EXISTS test_drives_longest ON test_drives (dealer_id, (end_at - start_at))
	WHERE end_at - start_at > interval '25 hours';
DROP INDEX IF EXISTS test_drives_longer_than_a_day;

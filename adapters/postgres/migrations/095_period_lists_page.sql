-- Issue 16 item 3: the workshop calendar, the test-drive calendar and the expiring warranties are paged by keyset
-- in the store, (key, id) > cursor ascending, LIMIT n+1. Each index gains the ID so that the page's order and its
-- cursor are served from it; an overlap query reads the starts in [from − the longest an appointment or a drive
-- lasts (25 hours: one working day), to), so a page costs about its own size whatever the dealer's history.
CREATE INDEX service_appointments_page ON service_appointments (dealer_id, start_at, id);
DROP INDEX service_appointments_by_start;
CREATE INDEX test_drives_page ON test_drives (dealer_id, start_at, id);
DROP INDEX test_drives_by_start;
CREATE INDEX warranties_page ON warranties (dealer_id, end_date, id) WHERE NOT void;
DROP INDEX warranties_by_end;

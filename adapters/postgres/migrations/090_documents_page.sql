-- Issue 16 item 3: a subject's documents are paged by keyset, (created_at, id) < cursor newest first; the index
-- gains the ID so that the page's order and its cursor are served from it.
CREATE INDEX documents_subject_page ON documents (dealer_id, subject_id, created_at DESC, id DESC);
DROP INDEX documents_subject;

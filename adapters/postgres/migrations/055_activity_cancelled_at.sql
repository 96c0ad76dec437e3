-- Issue 14 item 3 (outside review): a cancelled activity keeps when and by whom it was cancelled in completed_at
-- and completed_by, so the customer timeline shows the cancellation with who and when. An open activity still has
-- neither. Activities cancelled before this take their last change as the time (by nobody known).
UPDATE activities SET completed_at = updated_at WHERE status = 'cancelled' AND completed_at IS NULL;
ALTER TABLE activities DROP CONSTRAINT activities_done;
ALTER TABLE activities ADD CONSTRAINT activities_done CHECK ((status = 'open') = (completed_at IS NULL));

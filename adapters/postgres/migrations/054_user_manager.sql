-- A user's manager (issue 14: the lead response-time breach is told to the owner and the owner's manager). Optional;
-- the kernel checks that it is a user of the same dealer and not the user itself (users are never deleted), so no
-- foreign key: one more key without the dealer (users' primary key is id alone) for a rule the service holds.
ALTER TABLE users
    ADD COLUMN manager_id uuid,
    ADD CONSTRAINT users_manager_not_self CHECK (manager_id IS DISTINCT FROM id);

-- Each dealer's own test-drive schedule (working hours, slot length, time zone), and the dealer's calendar of
-- test drives across all cars by time.
CREATE TABLE test_drive_schedules (
    id            uuid PRIMARY KEY REFERENCES dealers (id),
    dealer_id     uuid NOT NULL CHECK (dealer_id = id),
    version       bigint NOT NULL CHECK (version > 0),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    slot_minutes  integer NOT NULL CHECK (slot_minutes > 0),
    workday_start integer NOT NULL CHECK (workday_start >= 0),
    workday_end   integer NOT NULL CHECK (workday_end > workday_start AND workday_end <= 1440),
    time_zone     text NOT NULL CHECK (time_zone <> '')
);
CREATE INDEX test_drives_by_start ON test_drives (dealer_id, start_at);

-- The floor of a test-drive booking in PostgreSQL: the least SQL that books a drive on the schema of the adapter,
-- written by hand, run by pgbench (a C client, prepared statements) with no HTTP server and no Go in the way
-- (scripts/pgload/run.sh with HANDSQL=1). Each client books random 30-minute slots of a car and a lead of its
-- own (pgload_cars, made by run.sh from the drives the server's run booked; clients share cars only when there are
-- more clients than cars): the lead, its customer and the car
-- read and locked, the drive inserted (the exclusion constraint checks the overlap), the car's version moved, the
-- hold and the notice written, in one transaction, as the adapter does in four round trips. It does not check the
-- rules the service checks in Go (schedule, horizon, playbook steps, the notice's template): a floor, not a rival.
\set slot random(1, 2000000000)
\if :got = 0
-- once per client (pgbench keeps a client's variables): its car and lead; ncars and got=0 are given by run.sh (-D)
\set car :client_id % :ncars + 1
SELECT dealer_id AS d, vehicle_id AS v, lead_id AS l, 1 AS got FROM pgload_cars WHERE n = :car \gset
\endif
BEGIN;
SELECT l.id, l.version, l.doc, l.phones, l.emails, l.stage, v.id, v.version, v.status, v.reservations, v.card, c.first_name, c.last_name, c.phones, c.emails
  FROM leads l JOIN vehicles v ON v.id = :v::uuid AND v.dealer_id = :d::uuid
  LEFT JOIN customers c ON c.id = l.customer_id AND c.dealer_id = l.dealer_id
  WHERE l.id = :l::uuid AND l.dealer_id = :d::uuid FOR UPDATE OF l, v;
INSERT INTO test_drives (id, dealer_id, version, created_at, updated_at, lead_id, vehicle_id, start_at, end_at, status, lead_sales_count, lead_won_count)
  VALUES (gen_random_uuid(), :d::uuid, 1, now(), now(), :l::uuid, :v::uuid, '2030-01-01'::timestamptz + :slot * interval '1 hour',
    '2030-01-01'::timestamptz + :slot * interval '1 hour' + interval '30 minutes', 'booked', 0, 0);
UPDATE vehicles SET version = version + 1, updated_at = now() WHERE id = :v::uuid AND dealer_id = :d::uuid;
INSERT INTO vehicle_holds (dealer_id, vehicle_id, ref_id, purpose, lead_id, from_at, until_at, created_at)
  VALUES (:d::uuid, :v::uuid, gen_random_uuid(), 'test_drive', :l::uuid, now(), now() + interval '1 hour', now());
INSERT INTO outbox (id, dealer_id, topic, recipient, subject, body, data, created_at, next_attempt_at)
  VALUES (gen_random_uuid(), :d::uuid, 'test_drive.booked', 'client@example.com', 'Тест-драйв Kia K5 GT-Line 2025 05.12.2026 в 12:00',
    'Здравствуйте! Ждём вас на тест-драйв Kia K5 GT-Line 2025 05.12.2026 в 12:00 по адресу: Москва, Ленинградское шоссе, 16. Дилерский центр Север',
    jsonb_build_object('customer_id', gen_random_uuid(), 'lead_id', :l::uuid, 'vehicle_id', :v::uuid), now(), now());
COMMIT;

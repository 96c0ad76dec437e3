-- Issue 16 item 8: the keys that can include the dealer cheaply now do (docs/scaling.md, "Beyond one PostgreSQL").
-- A composite foreign key needs a unique (dealer_id, id) on its target: added here on tables written rarely
-- (orders, the sales stages directory, customer vehicles, users), where one more index costs little; the hottest
-- tables (leads, customers, sales) keep their keys of id alone until the primary keys move to (dealer_id, id).
-- The constraint names stay, so the error mapping (errors.go, constraintFields) reads them as before.

ALTER TABLE orders ADD CONSTRAINT orders_dealer_id_id UNIQUE (dealer_id, id);
ALTER TABLE sales_stages ADD CONSTRAINT sales_stages_dealer_id_id UNIQUE (dealer_id, id);
ALTER TABLE customer_vehicles ADD CONSTRAINT customer_vehicles_dealer_id_id UNIQUE (dealer_id, id);
ALTER TABLE users ADD CONSTRAINT users_dealer_id_id UNIQUE (dealer_id, id);

-- Order lines: keyed and referenced within their dealer.
ALTER TABLE order_lines DROP CONSTRAINT order_lines_order_id_fkey;
ALTER TABLE order_lines ADD CONSTRAINT order_lines_order_id_fkey FOREIGN KEY (dealer_id, order_id)
    REFERENCES orders (dealer_id, id) ON DELETE CASCADE;
ALTER TABLE order_lines DROP CONSTRAINT order_lines_pkey;
ALTER TABLE order_lines ADD CONSTRAINT order_lines_pkey PRIMARY KEY (dealer_id, order_id, position);
ALTER TABLE order_lines DROP CONSTRAINT order_lines_id;
ALTER TABLE order_lines ADD CONSTRAINT order_lines_id UNIQUE (dealer_id, order_id, id);
DROP INDEX order_lines_one_vehicle;
CREATE UNIQUE INDEX order_lines_one_vehicle ON order_lines (dealer_id, order_id) WHERE kind = 'vehicle';

-- A sale's stage, within the dealer's directory.
ALTER TABLE sales DROP CONSTRAINT sales_stage_id_fkey;
ALTER TABLE sales ADD CONSTRAINT sales_stage_id_fkey FOREIGN KEY (dealer_id, stage_id) REFERENCES sales_stages (dealer_id, id);

-- What hangs off a customer vehicle.
ALTER TABLE mileage_readings DROP CONSTRAINT mileage_readings_customer_vehicle_id_fkey;
ALTER TABLE mileage_readings ADD CONSTRAINT mileage_readings_customer_vehicle_id_fkey FOREIGN KEY (dealer_id, customer_vehicle_id)
    REFERENCES customer_vehicles (dealer_id, id) ON DELETE CASCADE;
ALTER TABLE service_appointments DROP CONSTRAINT service_appointments_customer_vehicle_id_fkey;
ALTER TABLE service_appointments ADD CONSTRAINT service_appointments_customer_vehicle_id_fkey FOREIGN KEY (dealer_id, customer_vehicle_id)
    REFERENCES customer_vehicles (dealer_id, id);
ALTER TABLE warranties DROP CONSTRAINT warranties_customer_vehicle_id_fkey;
ALTER TABLE warranties ADD CONSTRAINT warranties_customer_vehicle_id_fkey FOREIGN KEY (dealer_id, customer_vehicle_id)
    REFERENCES customer_vehicles (dealer_id, id);

-- An API key's user.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_user_id_fkey;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_user_id_fkey FOREIGN KEY (dealer_id, user_id) REFERENCES users (dealer_id, id);

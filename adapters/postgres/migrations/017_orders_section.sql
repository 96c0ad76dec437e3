-- The Orders section: every order has a human-readable number from its dealer's gap-free sequence of the year
-- ("2026-000042") and a status (draft → confirmed → paid → delivered, or cancelled).
CREATE TABLE order_numbers (
    dealer_id uuid NOT NULL REFERENCES dealers (id),
    year      integer NOT NULL,
    last      bigint NOT NULL CHECK (last > 0),
    PRIMARY KEY (dealer_id, year)
);

ALTER TABLE orders ADD COLUMN number text;
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'confirmed', 'paid', 'delivered', 'cancelled'));

-- Orders made before numbers existed are numbered in the order they were made, and the sequences continue there.
WITH numbered AS (
    SELECT id, dealer_id, extract(year FROM created_at AT TIME ZONE 'UTC')::int AS year,
           row_number() OVER (PARTITION BY dealer_id, extract(year FROM created_at AT TIME ZONE 'UTC')
                              ORDER BY created_at, id) AS n
    FROM orders)
UPDATE orders AS o SET number = numbered.year || '-' || lpad(numbered.n::text, 6, '0')
FROM numbered WHERE o.id = numbered.id;
INSERT INTO order_numbers (dealer_id, year, last)
SELECT dealer_id, extract(year FROM created_at AT TIME ZONE 'UTC')::int, count(*) FROM orders GROUP BY 1, 2;

ALTER TABLE orders ALTER COLUMN number SET NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_number UNIQUE (dealer_id, number);
CREATE INDEX orders_list ON orders (dealer_id, created_at DESC, id DESC);
CREATE INDEX orders_by_status ON orders (dealer_id, status, created_at DESC);
CREATE INDEX orders_number_search ON orders USING gin (number gin_trgm_ops);

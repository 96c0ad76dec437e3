-- External references for embedders: vehicles, customers, leads and sales may carry the record's ID in the
-- embedder's own system, unique per dealer when set, so a sync fetches the record by it.
ALTER TABLE vehicles ADD COLUMN external_id text NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN external_id text NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN external_id text NOT NULL DEFAULT '';
ALTER TABLE sales ADD COLUMN external_id text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX vehicles_external_id ON vehicles (dealer_id, external_id) WHERE external_id <> '';
CREATE UNIQUE INDEX customers_external_id ON customers (dealer_id, external_id) WHERE external_id <> '';
CREATE UNIQUE INDEX leads_external_id ON leads (dealer_id, external_id) WHERE external_id <> '';
CREATE UNIQUE INDEX sales_external_id ON sales (dealer_id, external_id) WHERE external_id <> '';

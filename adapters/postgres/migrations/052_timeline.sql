-- The customer timeline (issue 14 item 3) is read from the records themselves with one UNION query; every branch
-- is an index lookup by (dealer, customer). Activities, leads, test drives, sales and credit applications have
-- such indexes already; these add the appraisals', the service appointments' and the notices' (the outbox
-- messages that name a customer in their data).

CREATE INDEX appraisals_by_customer ON appraisals (dealer_id, customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX service_appointments_by_customer ON service_appointments (dealer_id, customer_id);
CREATE INDEX outbox_by_customer ON outbox (dealer_id, (data->>'customer_id')) WHERE data ? 'customer_id';

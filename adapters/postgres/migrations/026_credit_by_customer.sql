-- A customer merge moves the duplicate's credit applications to the kept customer: find them by customer.
CREATE INDEX credit_applications_by_customer ON credit_applications (dealer_id, customer_id, created_at, id);

-- A sale may be paid by bank transfer (безналичный расчёт) as well as in cash; the contract states which.
ALTER TABLE sales DROP CONSTRAINT sales_payment_method_check;
ALTER TABLE sales ADD CONSTRAINT sales_payment_method_check
    CHECK (payment_method IN ('', 'cash', 'bank_transfer', 'credit', 'trade_in', 'mixed'));

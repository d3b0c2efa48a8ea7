-- Units of a sold line put back on sale by a partial refund; the rest stay sold.
ALTER TABLE stock_reservations ADD COLUMN returned int NOT NULL DEFAULT 0;
ALTER TABLE stock_reservations ADD CONSTRAINT stock_reservations_returned_within CHECK (returned BETWEEN 0 AND quantity);

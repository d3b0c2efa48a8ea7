-- A hold (a flash sale's dedicated units, reserved under the sale's id) hands its units to
-- orders one by one, so it may reach 0 while the sale still runs.
ALTER TABLE stock_reservations DROP CONSTRAINT stock_reservations_quantity_check;
ALTER TABLE stock_reservations ADD CONSTRAINT stock_reservations_quantity_check CHECK (quantity >= 0);

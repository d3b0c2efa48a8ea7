-- An order can now be refunded in several parts: each part names the request it answers.
ALTER TABLE refunds ADD COLUMN request_id text NOT NULL DEFAULT '';
ALTER TABLE refunds DROP CONSTRAINT refunds_order_id_reason_key;
CREATE UNIQUE INDEX refunds_once ON refunds (order_id, reason, request_id);

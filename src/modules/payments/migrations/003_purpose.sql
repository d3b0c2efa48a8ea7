-- What a payment is for: an order group (group_id is the group), or another payable such as a
-- membership purchase (group_id is that payable's id, owned by the module that registered the purpose).
ALTER TABLE payments ADD COLUMN purpose text NOT NULL DEFAULT 'order_group';

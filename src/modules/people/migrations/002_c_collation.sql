-- Identifier keys and person ids are opaque: byte order ("C") is cheaper to index than the locale's.
ALTER TABLE persons ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE person_identifiers ALTER COLUMN key TYPE text COLLATE "C";
ALTER TABLE person_identifiers ALTER COLUMN person_id TYPE text COLLATE "C";

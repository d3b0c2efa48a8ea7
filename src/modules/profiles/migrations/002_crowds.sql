-- Crowds (人群): operator-defined segments over profiles. `rule` is the JSON rule
-- language of crowds/rules.ts; members are a snapshot taken by materialisation.
CREATE TABLE crowds (
  id text PRIMARY KEY,
  name text NOT NULL,
  rule jsonb NOT NULL,
  -- set: the crowd is an operator tag `crowd:<id>` its members see under this label
  tag_label text,
  size int NOT NULL DEFAULT 0,
  reachable int NOT NULL DEFAULT 0,
  materialized_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crowds_tagged ON crowds (id) WHERE tag_label IS NOT NULL;
-- `since` is when the person entered the crowd; it survives re-materialisation while they stay.
CREATE TABLE crowd_members (
  crowd_id text NOT NULL REFERENCES crowds(id) ON DELETE CASCADE,
  person_id text NOT NULL,
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (crowd_id, person_id)
);
CREATE INDEX crowd_members_person ON crowd_members (person_id);

-- Statements of publishing (load/publish.py) and of the schema's version mark, by name.

-- name: mark_schema_version
-- What schema (sql/ and the code tables) the warehouse was last brought up to date with: a
-- macro, not a table, so that it is no relation an analyst sees, exports or documents.
-- {version} is a hex digest (load/warehouse.py SCHEMA_VERSION).
CREATE OR REPLACE MACRO xxgk_schema_version() AS '{version}';

-- name: schema_version
SELECT xxgk_schema_version();

-- name: checkpoint
-- Before a working copy is published: every committed change into the file, the WAL emptied.
CHECKPOINT;

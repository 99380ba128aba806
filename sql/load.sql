-- Statements of the load stage, by name (load/sqlfiles.py reads the `-- name:` markers).

-- name: upsert_agencies
-- The agencies of a load batch or a re-key (_xxgk_agencies, one row per id, combined in
-- load/warehouse.py combine_agencies with the same name rule as here). The name: a
-- manifest's wins and stays; otherwise the fullest spelling seen (淮安市洪泽区人民政府
-- over 洪泽区人民政府), ties by code point, so it does not depend on the order reports
-- arrive in. id_source is the first load's. `aliases` collects every spelling;
-- drop_names_from_aliases then removes the name.
INSERT INTO agencies (agency_id, name, region_code, level, updated_at, parent_region_code, aliases,
                      body, id_source, named_by, registry_version)
SELECT agency_id, name, region_code, level, now(), parent_region_code,
       CAST(aliases AS VARCHAR[]), body, id_source, named_by, registry_version
FROM _xxgk_agencies
ON CONFLICT (agency_id) DO UPDATE SET
    name        = CASE
        WHEN excluded.named_by = 'manifest' THEN excluded.name
        WHEN agencies.named_by = 'manifest' THEN agencies.name
        WHEN length(excluded.name) > length(agencies.name)
          OR (length(excluded.name) = length(agencies.name) AND excluded.name < agencies.name)
        THEN excluded.name
        ELSE agencies.name END,
    named_by    = CASE
        WHEN excluded.named_by = 'manifest' AND excluded.name <> agencies.name THEN 'manifest'
        ELSE COALESCE(agencies.named_by, excluded.named_by) END,
    region_code = COALESCE(excluded.region_code, agencies.region_code),
    level       = COALESCE(excluded.level, agencies.level),
    updated_at  = excluded.updated_at,
    parent_region_code = COALESCE(excluded.parent_region_code, agencies.parent_region_code),
    aliases     = list_sort(list_distinct(list_concat(
        COALESCE(agencies.aliases, []), COALESCE(excluded.aliases, []),
        [agencies.name, excluded.name]))),
    body        = COALESCE(excluded.body, agencies.body),
    id_source   = COALESCE(agencies.id_source, excluded.id_source),
    registry_version = excluded.registry_version;

-- name: drop_names_from_aliases
UPDATE agencies SET aliases = list_filter(aliases, x -> x <> name)
WHERE agency_id IN (SELECT agency_id FROM _xxgk_agencies);

-- name: loaded_readings
-- The loaded reading of each agency-year of a batch (_xxgk_candidate_keys), to compare a re-read with.
SELECT r.agency_id, r.year, r.sha256, r.status, r.cells, r.extractor_version
FROM reports r JOIN _xxgk_candidate_keys k USING (agency_id, year);

-- name: existing_batch_keys
-- The agency-years of a load batch (_xxgk_batch_keys) that already hold a report: only
-- those are deleted before the insert, so loading new agency-years scans nothing.
SELECT DISTINCT k.agency_id, k.year
FROM _xxgk_batch_keys k JOIN reports r USING (agency_id, year);

-- name: delete_existing_keys
-- Run once per table in REPLACED_TABLES (load/warehouse.py), table name substituted.
DELETE FROM {table} t USING _xxgk_existing_keys k
WHERE t.agency_id = k.agency_id AND t.year = k.year;

-- name: insert_outcome_totals
-- After a batch's requests are inserted: each agency-year's table 三 summed by outcome group.
INSERT INTO request_outcome_totals
SELECT r.agency_id, r.year, r.applicant, d.outcome_group,
       CAST(SUM(r.value) AS BIGINT), CAST(count(*) AS INTEGER)
FROM requests r
JOIN _xxgk_batch_keys k USING (agency_id, year)
JOIN dim_request_rows d USING (row_code)
WHERE d.outcome_group IN ('granted', 'partially_granted', 'denied', 'unavailable',
                          'rejected', 'other', 'total')
GROUP BY ALL;

-- name: backfill_outcome_totals
-- A warehouse made before request_outcome_totals existed: derive it once for every agency-year.
INSERT INTO request_outcome_totals
SELECT r.agency_id, r.year, r.applicant, d.outcome_group,
       CAST(SUM(r.value) AS BIGINT), CAST(count(*) AS INTEGER)
FROM requests r
JOIN dim_request_rows d USING (row_code)
WHERE d.outcome_group IN ('granted', 'partially_granted', 'denied', 'unavailable',
                          'rejected', 'other', 'total')
  AND NOT EXISTS (SELECT 1 FROM request_outcome_totals LIMIT 1)
GROUP BY ALL;

-- name: clear_failures_of_batch
-- A source that loads has no failure any more.
DELETE FROM failures WHERE source_uri IN (SELECT source_uri FROM _xxgk_batch_uris);

-- name: clear_failures_of_rows
-- The failures of a batch (_xxgk_failures, one row per source) replace earlier ones.
DELETE FROM failures WHERE source_uri IN (SELECT source_uri FROM _xxgk_failures);

-- name: insert_failures
INSERT INTO failures (source_uri, sha256, stage, error, detail, occurred_at)
SELECT source_uri, sha256, stage, error, detail, now() FROM _xxgk_failures;

-- name: sources_of_agency
-- $agency_id may be an id, an id since merged into another (followed through agency_merges),
-- or the name or an alias of exactly one agency.
WITH RECURSIVE merged(id) AS (
    SELECT CAST($agency_id AS VARCHAR)
    UNION
    SELECT m.to_id FROM agency_merges m JOIN merged ON m.from_id = merged.id
), by_id AS (
    SELECT agency_id FROM agencies WHERE agency_id IN (SELECT id FROM merged)
), by_name AS (
    SELECT agency_id FROM agencies
    WHERE name = $agency_id OR list_contains(aliases, $agency_id)
), wanted AS (
    SELECT agency_id FROM by_id
    UNION
    SELECT agency_id FROM by_name
    WHERE NOT EXISTS (SELECT 1 FROM by_id) AND (SELECT count(*) FROM by_name) = 1
)
SELECT r.source_uri, r.sha256, r.agency_id, r.year, a.name AS agency_name, a.region_code, a.level
FROM reports r LEFT JOIN agencies a USING (agency_id)
WHERE r.agency_id IN (SELECT agency_id FROM wanted) AND ($year IS NULL OR r.year = $year)
ORDER BY r.year;

-- name: stale_agencies
-- Agencies whose id was last checked under other registry rules (or never): re-resolved
-- once by load/warehouse.py, and merged into another id when they are the same body.
SELECT agency_id, name, region_code, level, named_by, id_source, aliases, parent_region_code
FROM agencies
WHERE registry_version IS DISTINCT FROM $registry_version
ORDER BY agency_id;

-- name: mark_agencies_checked
-- The agencies re-resolved to their own id (_xxgk_checked): body and id source filled in.
UPDATE agencies SET
    registry_version = c.registry_version,
    body = COALESCE(c.body, agencies.body),
    id_source = c.id_source,
    named_by = COALESCE(agencies.named_by, 'document')
FROM _xxgk_checked c
WHERE agencies.agency_id = c.agency_id;

-- Re-keying (load/warehouse.py _rekey_agencies): _xxgk_rekey holds (from_id, to_id, reason)
-- for every stored id that is now another's; the statements below run in this order.

-- name: rekey_claims
-- Every report of a surviving id and of the ids merging into it, by year.
CREATE OR REPLACE TEMP TABLE _xxgk_claims AS
WITH ids AS (
    SELECT from_id AS holder, to_id FROM _xxgk_rekey
    UNION
    SELECT DISTINCT to_id, to_id FROM _xxgk_rekey
)
SELECT i.holder, i.to_id, r.year, r.loaded_at,
       row_number() OVER (PARTITION BY i.to_id, r.year
                          ORDER BY r.loaded_at DESC, i.holder = i.to_id DESC, i.holder) AS rank,
       count(*) OVER (PARTITION BY i.to_id, r.year) AS claims
FROM ids i JOIN reports r ON r.agency_id = i.holder;

-- name: rekey_record_losers
-- A year two merging ids both hold: the newer load wins (a tie: the surviving id's); the
-- other reports are kept as readings of the surviving agency (reason merge_conflict).
INSERT INTO report_attempts (agency_id, year, sha256, source_uri, status, cells, problems,
                             extractor_version, attempted_at, kept, reason, loaded_status,
                             loaded_cells, loaded_extractor_version)
SELECT c.to_id, c.year, l.sha256, l.source_uri, l.status, l.cells, l.problems,
       l.extractor_version, now(), false, 'merge_conflict', w.status, w.cells, w.extractor_version
FROM _xxgk_claims c
JOIN reports l ON l.agency_id = c.holder AND l.year = c.year
JOIN _xxgk_claims cw ON cw.to_id = c.to_id AND cw.year = c.year AND cw.rank = 1
JOIN reports w ON w.agency_id = cw.holder AND w.year = cw.year
WHERE c.rank > 1;

-- name: rekey_delete_losers
-- Run once per table in REPLACED_TABLES, table name substituted.
DELETE FROM {table} t USING _xxgk_claims c
WHERE c.rank > 1 AND t.agency_id = c.holder AND t.year = c.year;

-- name: rekey_record_merges
INSERT INTO agency_merges (from_id, to_id, reason, reports_moved, conflicts, merged_at)
SELECT k.from_id, k.to_id, k.reason,
       (SELECT count(*) FROM _xxgk_claims c WHERE c.holder = k.from_id AND c.rank = 1),
       (SELECT count(*) FROM _xxgk_claims c WHERE c.holder = k.from_id AND c.claims > 1),
       now()
FROM _xxgk_rekey k
RETURNING from_id, to_id, reports_moved, conflicts;

-- name: rekey_move_rows
-- Run once per table holding agency rows (MERGED_TABLES), table name substituted.
UPDATE {table} t SET agency_id = k.to_id FROM _xxgk_rekey k WHERE t.agency_id = k.from_id;

-- name: rekey_rehash_report_ids
-- report_id is a hash of agency id, year and file (transform/frames.py report_id_of).
UPDATE reports SET report_id = left(sha256(agency_id || '|' || CAST(year AS VARCHAR) || '|' || sha256), 16)
WHERE agency_id IN (SELECT to_id FROM _xxgk_rekey);

-- name: rekey_delete_agencies
DELETE FROM agencies WHERE agency_id IN (SELECT from_id FROM _xxgk_rekey);

-- name: rekey_drop_claims
DROP TABLE IF EXISTS _xxgk_claims;



-- name: export_parquet_by_year
-- {relation} and {target} substituted by load/export.py; one folder year=YYYY per year.
COPY (SELECT * FROM {relation}) TO '{target}' (FORMAT parquet, PARTITION_BY (year), OVERWRITE_OR_IGNORE);

-- name: export_parquet
COPY (SELECT * FROM {relation}) TO '{target}' (FORMAT parquet);

-- name: export_csv
COPY (SELECT * FROM {relation}) TO '{target}' (FORMAT csv, HEADER);

-- name: export_count
-- The rows a relation holds, before it is written.
SELECT count(*) FROM {relation};

-- name: upsert_sources
-- Good answers (200, 304, or a local file) of a batch: _xxgk_source_rows, one row per uri
-- (load/warehouse.py record_sources splits a batch into such rounds, in order).
INSERT INTO sources (uri, agency_id, year, fetched_at, http_status, etag, last_modified,
                     sha256, media_type, found_via, role, error, final_url, portal)
SELECT uri, agency_id, CAST(year AS INTEGER), now(), CAST(http_status AS INTEGER),
       etag, last_modified, sha256, media_type, found_via, role, NULL,
       CAST(final_url AS VARCHAR), CAST(portal AS VARCHAR)
FROM _xxgk_source_rows
ON CONFLICT (uri) DO UPDATE SET
    agency_id     = COALESCE(excluded.agency_id, sources.agency_id),
    year          = COALESCE(excluded.year, sources.year),
    fetched_at    = excluded.fetched_at,
    http_status   = excluded.http_status,
    etag          = excluded.etag,
    last_modified = excluded.last_modified,
    sha256        = excluded.sha256,
    media_type    = excluded.media_type,
    found_via     = COALESCE(excluded.found_via, sources.found_via),
    role          = excluded.role,
    error         = NULL,
    final_url     = COALESCE(excluded.final_url, sources.final_url),
    portal        = COALESCE(excluded.portal, sources.portal);

-- name: sources_failed
-- Failed attempts of a batch (_xxgk_source_rows, one row per uri): keep the last good
-- validators and bytes, note the answer.
INSERT INTO sources (uri, agency_id, year, fetched_at, http_status, found_via, role, error,
                     portal)
SELECT uri, agency_id, CAST(year AS INTEGER), now(), CAST(http_status AS INTEGER),
       found_via, role, error, CAST(portal AS VARCHAR)
FROM _xxgk_source_rows
ON CONFLICT (uri) DO UPDATE SET
    fetched_at  = excluded.fetched_at,
    http_status = excluded.http_status,
    found_via   = COALESCE(excluded.found_via, sources.found_via),
    error       = excluded.error,
    portal      = COALESCE(excluded.portal, sources.portal);

-- name: loaded_reports
-- Every loaded report's source hash and key: one query at the start of a run.
SELECT sha256, agency_id, year FROM reports;

-- name: source_states
-- The validators of every source's last good answer: one query at the start of a run.
SELECT uri, etag, last_modified, sha256, media_type FROM sources WHERE sha256 IS NOT NULL;

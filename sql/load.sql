-- Statements of the load stage, by name (load/sqlfiles.py reads the `-- name:` markers).

-- name: upsert_agency
INSERT INTO agencies (agency_id, name, region_code, level, updated_at, parent_region_code, aliases)
VALUES ($agency_id, $name, $region_code, $level, now(), $parent_region_code,
        CAST($aliases AS VARCHAR[]))
ON CONFLICT (agency_id) DO UPDATE SET
    name        = excluded.name,
    region_code = COALESCE(excluded.region_code, agencies.region_code),
    level       = COALESCE(excluded.level, agencies.level),
    updated_at  = excluded.updated_at,
    parent_region_code = COALESCE(excluded.parent_region_code, agencies.parent_region_code),
    -- every name ever seen for the agency, except its canonical one
    aliases     = list_filter(
        list_sort(list_distinct(list_concat(COALESCE(agencies.aliases, []), COALESCE(excluded.aliases, []),
                                  [agencies.name]))),
        x -> x <> excluded.name);

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

-- name: clear_failures
DELETE FROM failures WHERE source_uri = $source_uri;

-- name: insert_failure
INSERT INTO failures (source_uri, sha256, stage, error, detail, occurred_at)
VALUES ($source_uri, $sha256, $stage, $error, $detail, now());

-- name: clear_failures_of_rows
-- The failures of a batch (_xxgk_failures, one row per source) replace earlier ones.
DELETE FROM failures WHERE source_uri IN (SELECT source_uri FROM _xxgk_failures);

-- name: insert_failures
INSERT INTO failures (source_uri, sha256, stage, error, detail, occurred_at)
SELECT source_uri, sha256, stage, error, detail, now() FROM _xxgk_failures;

-- name: sources_of_agency
SELECT r.source_uri, r.sha256, r.agency_id, r.year, a.name AS agency_name, a.region_code, a.level
FROM reports r LEFT JOIN agencies a USING (agency_id)
WHERE r.agency_id = $agency_id AND ($year IS NULL OR r.year = $year)
ORDER BY r.year;

-- name: export_parquet_by_year
-- {relation} and {target} substituted by load/export.py; one folder year=YYYY per year.
COPY (SELECT * FROM {relation}) TO '{target}' (FORMAT parquet, PARTITION_BY (year), OVERWRITE_OR_IGNORE);

-- name: export_parquet
COPY (SELECT * FROM {relation}) TO '{target}' (FORMAT parquet);

-- name: export_csv
COPY (SELECT * FROM {relation}) TO '{target}' (FORMAT csv, HEADER);

-- name: upsert_sources
-- Good answers (200, 304, or a local file) of a batch: _xxgk_source_rows, one row per uri
-- (load/warehouse.py record_sources splits a batch into such rounds, in order).
INSERT INTO sources (uri, agency_id, year, fetched_at, http_status, etag, last_modified,
                     sha256, media_type, found_via, role, error)
SELECT uri, agency_id, CAST(year AS INTEGER), now(), CAST(http_status AS INTEGER),
       etag, last_modified, sha256, media_type, found_via, role, NULL
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
    error         = NULL;

-- name: sources_failed
-- Failed attempts of a batch (_xxgk_source_rows, one row per uri): keep the last good
-- validators and bytes, note the answer.
INSERT INTO sources (uri, agency_id, year, fetched_at, http_status, found_via, role, error)
SELECT uri, agency_id, CAST(year AS INTEGER), now(), CAST(http_status AS INTEGER),
       found_via, role, error
FROM _xxgk_source_rows
ON CONFLICT (uri) DO UPDATE SET
    fetched_at  = excluded.fetched_at,
    http_status = excluded.http_status,
    found_via   = COALESCE(excluded.found_via, sources.found_via),
    error       = excluded.error;

-- name: loaded_reports
-- Every loaded report's source hash and key: one query at the start of a run.
SELECT sha256, agency_id, year FROM reports;

-- name: source_states
-- The validators of every source's last good answer: one query at the start of a run.
SELECT uri, etag, last_modified, sha256, media_type FROM sources WHERE sha256 IS NOT NULL;

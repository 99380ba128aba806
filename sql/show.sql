-- Queries behind `xxgk show AGENCY [YEAR]` (load/show.py), by name: one stored report as the
-- long rows quality/view.py lays out, the same rows `xxgk inspect` builds from a file.

-- name: agencies_named
-- The agencies a name or alias could mean (to tell an unknown name from an ambiguous one).
SELECT agency_id FROM agencies
WHERE name = $name OR list_contains(aliases, $name)
ORDER BY agency_id;

-- name: stored_report
SELECT r.report_id, r.agency_id, a.name AS agency_name, a.aliases, r.year, r.title, r.template,
       r.source_uri, r.sha256, r.media_type, r.status, r.loaded_at, r.pages, r.cells,
       r.problems, r.extractor_version, r.heading_source, r.text_layer
FROM reports r LEFT JOIN agencies a USING (agency_id)
WHERE r.agency_id = $agency_id AND r.year = $year;

-- name: stored_cells
-- Every value cell of tables 二, 三 and 四, codes as row_code/col_code; unit only in 二.
SELECT 'requests' AS table_name, row_code, applicant AS col_code, CAST(value AS DOUBLE) AS value,
       raw, CAST(NULL AS VARCHAR) AS unit, page, bbox
FROM requests WHERE agency_id = $agency_id AND year = $year
UNION ALL
SELECT 'appeals', proceeding, outcome, CAST(value AS DOUBLE), raw, NULL, page, bbox
FROM appeals WHERE agency_id = $agency_id AND year = $year
UNION ALL
SELECT 'active', item, metric, value, raw, unit, page, bbox
FROM active_disclosure WHERE agency_id = $agency_id AND year = $year;

-- name: stored_checks
-- severity error: the report's own identities; warning: checks across reports (sql/checks.sql).
SELECT check_code, subject, expected, actual, passed, COALESCE(severity, 'error') AS severity
FROM checks WHERE agency_id = $agency_id AND year = $year
ORDER BY check_code, subject;

-- name: stored_readings
SELECT agency_id, year, table_name, method, verdict, cells, expected, failed_checks, chosen, note
FROM table_readings WHERE agency_id = $agency_id AND year = $year;

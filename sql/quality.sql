-- Queries behind `xxgk report --html` (load/quality.py), by name.

-- name: reports
SELECT r.report_id, r.agency_id, a.name AS agency_name, r.year, r.template, r.status,
       r.source_uri, g.province_code, COALESCE(g.province_name, '(no region)') AS province_name,
       (SELECT string_agg(DISTINCT c.check_code, ' ' ORDER BY c.check_code) FROM checks c
        WHERE c.agency_id = r.agency_id AND c.year = r.year AND NOT c.passed) AS failed_checks
FROM reports r
LEFT JOIN agencies a USING (agency_id)
LEFT JOIN agency_regions g USING (agency_id)
ORDER BY province_name, r.year, a.name;

-- name: failed_checks
SELECT c.check_code, COALESCE(c.severity, 'error') AS severity, r.report_id,
       count(*) AS subjects
FROM checks c
JOIN reports r USING (agency_id, year)
WHERE NOT c.passed
GROUP BY ALL
ORDER BY c.check_code, r.report_id;

-- name: failures
SELECT row_number() OVER (ORDER BY error, source_uri) AS failure_no,
       source_uri, sha256, stage, error, detail, occurred_at
FROM failures
ORDER BY error, source_uri;

-- Views for analysts (shared/spec/README.md §3, "Views for analysts").

CREATE OR REPLACE VIEW requests_labelled AS
SELECT r.agency_id,
       a.name        AS agency_name,
       r.year,
       r.row_code,
       d.label       AS row_label,
       r.applicant,
       p.label       AS applicant_label,
       r.value
FROM requests r
LEFT JOIN agencies a USING (agency_id)
LEFT JOIN dim_request_rows d USING (row_code)
LEFT JOIN dim_applicants p USING (applicant);

CREATE OR REPLACE VIEW request_outcomes AS
SELECT r.agency_id,
       r.year,
       r.applicant,
       d.outcome_group,
       SUM(r.value)  AS value
FROM requests r
JOIN dim_request_rows d USING (row_code)
GROUP BY ALL;

CREATE OR REPLACE VIEW agency_year_summary AS
WITH t AS (
    SELECT agency_id, year,
           SUM(value) FILTER (WHERE row_code = 'new_received')    AS received,
           SUM(value) FILTER (WHERE row_code = 'total_processed') AS processed,
           SUM(value) FILTER (WHERE row_code = 'granted')         AS granted,
           SUM(value) FILTER (WHERE row_code LIKE 'denied_%')     AS denied
    FROM requests
    WHERE applicant = 'total'
    GROUP BY agency_id, year
)
SELECT t.agency_id,
       a.name AS agency_name,
       a.region_code,
       t.year,
       t.received,
       t.granted / NULLIF(t.processed, 0) AS granted_rate,
       t.denied  / NULLIF(t.processed, 0) AS denied_rate
FROM t
LEFT JOIN agencies a USING (agency_id);

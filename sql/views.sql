-- Views for analysts (shared/spec/README.md §3, "Views for analysts").
-- Columns the contract fixes come first; the rest are additions.

-- Table 三 with Chinese labels.
CREATE OR REPLACE VIEW requests_labelled AS
SELECT r.agency_id,
       a.name        AS agency_name,
       r.year,
       r.row_code,
       d.label       AS row_label,
       r.applicant,
       p.label       AS applicant_label,
       r.value,
       d.outcome_group,                   -- addition
       d.ordinal     AS row_ordinal,      -- addition: the template's row order
       p.ordinal     AS applicant_ordinal -- addition: the template's column order
FROM requests r
LEFT JOIN agencies a USING (agency_id)
LEFT JOIN dim_request_rows d USING (row_code)
LEFT JOIN dim_applicants p USING (applicant);

-- Outcomes harmonised across the 2019 and 2021 templates: one row per outcome group
-- (granted, partially_granted, denied, unavailable, rejected, other, total); `other`
-- sums the single （六） row or its three sub-rows, whichever the document has.
CREATE OR REPLACE VIEW request_outcomes AS
-- Summed at load time into request_outcome_totals (sql/load.sql insert_outcome_totals).
SELECT agency_id,
       year,
       applicant,
       outcome_group,
       value,
       rows_summed                          -- addition: how many table 三 rows the group sums
FROM request_outcome_totals;

-- Where an agency sits: its region, province and prefecture (GB/T 2260 structure).
CREATE OR REPLACE VIEW agency_regions AS
SELECT a.agency_id,
       a.name,
       a.level,
       a.region_code,
       g.name AS region_name,
       CASE WHEN a.region_code IS NOT NULL THEN left(a.region_code, 2) || '0000' END
           AS province_code,
       p.name AS province_name,
       CASE WHEN a.region_code IS NOT NULL AND right(a.region_code, 4) <> '0000'
            THEN left(a.region_code, 4) || '00' END AS prefecture_code,
       f.name AS prefecture_name
FROM agencies a
LEFT JOIN dim_regions g ON g.region_code = a.region_code
LEFT JOIN dim_regions p ON p.region_code = left(a.region_code, 2) || '0000'
LEFT JOIN dim_regions f ON f.region_code = left(a.region_code, 4) || '00'
                       AND right(a.region_code, 4) <> '0000';

-- One row per loaded agency-year: intake, outcomes, rates, denial reasons, appeals.
CREATE OR REPLACE VIEW agency_year_summary AS
WITH t AS (
    SELECT agency_id, year,
           SUM(value) FILTER (WHERE row_code = 'new_received')      AS received,
           SUM(value) FILTER (WHERE row_code = 'carried_over')      AS carried_over,
           SUM(value) FILTER (WHERE row_code = 'total_processed')   AS processed,
           SUM(value) FILTER (WHERE row_code = 'carried_forward')   AS carried_forward,
           SUM(value) FILTER (WHERE row_code = 'granted')           AS granted,
           SUM(value) FILTER (WHERE row_code = 'partially_granted') AS partially_granted,
           SUM(value) FILTER (WHERE row_code LIKE 'denied_%')       AS denied,
           SUM(value) FILTER (WHERE row_code LIKE 'unavailable_%')  AS unavailable,
           SUM(value) FILTER (WHERE row_code LIKE 'rejected_%')     AS rejected,
           SUM(value) FILTER (WHERE row_code LIKE 'other%')         AS other,
           SUM(value) FILTER (WHERE row_code = 'denied_state_secret')       AS denied_state_secret,
           SUM(value) FILTER (WHERE row_code = 'denied_prohibited_by_law')  AS denied_prohibited_by_law,
           SUM(value) FILTER (WHERE row_code = 'denied_security_stability') AS denied_security_stability,
           SUM(value) FILTER (WHERE row_code = 'denied_third_party_rights') AS denied_third_party_rights,
           SUM(value) FILTER (WHERE row_code = 'denied_internal_affairs')   AS denied_internal_affairs,
           SUM(value) FILTER (WHERE row_code = 'denied_process_info')       AS denied_process_info,
           SUM(value) FILTER (WHERE row_code = 'denied_enforcement_file')   AS denied_enforcement_file,
           SUM(value) FILTER (WHERE row_code = 'denied_query_matter')       AS denied_query_matter
    FROM requests
    WHERE applicant = 'total'
    GROUP BY agency_id, year
), ap AS (
    SELECT agency_id, year,
           SUM(value) FILTER (WHERE proceeding = 'review' AND outcome = 'total') AS reviews,
           SUM(value) FILTER (WHERE proceeding <> 'review' AND outcome = 'total') AS lawsuits,
           SUM(value) FILTER (WHERE outcome = 'corrected') AS corrected,
           SUM(value) FILTER (WHERE outcome IN ('upheld', 'corrected', 'other')) AS concluded
    FROM appeals
    GROUP BY agency_id, year
)
SELECT t.agency_id,
       a.name AS agency_name,
       a.region_code,
       t.year,
       t.received,
       t.granted / NULLIF(t.processed, 0) AS granted_rate,
       t.denied  / NULLIF(t.processed, 0) AS denied_rate,
       -- additions
       a.level,
       g.province_code,
       g.prefecture_code,
       rp.template,
       rp.status,
       t.carried_over,
       t.processed,
       t.carried_forward,
       t.granted,
       t.partially_granted,
       t.denied,
       t.unavailable,
       t.rejected,
       t.other,
       (t.granted + t.partially_granted) / NULLIF(t.processed, 0) AS disclosed_rate,
       t.denied_state_secret,
       t.denied_prohibited_by_law,
       t.denied_security_stability,
       t.denied_third_party_rights,
       t.denied_internal_affairs,
       t.denied_process_info,
       t.denied_enforcement_file,
       t.denied_query_matter,
       ap.reviews,
       ap.lawsuits,
       ap.corrected,
       ap.concluded,
       -- 纠错率: corrected over concluded reviews and lawsuits (pending ones excluded)
       ap.corrected / NULLIF(ap.concluded, 0) AS correction_rate
FROM t
LEFT JOIN agencies a USING (agency_id)
LEFT JOIN agency_regions g USING (agency_id)
LEFT JOIN reports rp USING (agency_id, year)
LEFT JOIN ap USING (agency_id, year);

-- Aggregates of agency_year_summary by province and year, and by prefecture and year.
CREATE OR REPLACE VIEW province_year_summary AS
SELECT s.province_code,
       p.name AS province_name,
       s.year,
       count(*)               AS reports,
       SUM(s.received)        AS received,
       SUM(s.processed)       AS processed,
       SUM(s.granted)         AS granted,
       SUM(s.denied)          AS denied,
       SUM(s.granted) / NULLIF(SUM(s.processed), 0) AS granted_rate,
       SUM(s.denied)  / NULLIF(SUM(s.processed), 0) AS denied_rate,
       SUM(s.reviews)         AS reviews,
       SUM(s.lawsuits)        AS lawsuits,
       SUM(s.corrected)       AS corrected
FROM agency_year_summary s
LEFT JOIN dim_regions p ON p.region_code = s.province_code
GROUP BY ALL;

CREATE OR REPLACE VIEW prefecture_year_summary AS
SELECT s.province_code,
       s.prefecture_code,
       f.name AS prefecture_name,
       s.year,
       count(*)               AS reports,
       SUM(s.received)        AS received,
       SUM(s.processed)       AS processed,
       SUM(s.granted)         AS granted,
       SUM(s.denied)          AS denied,
       SUM(s.granted) / NULLIF(SUM(s.processed), 0) AS granted_rate,
       SUM(s.denied)  / NULLIF(SUM(s.processed), 0) AS denied_rate,
       SUM(s.reviews)         AS reviews,
       SUM(s.lawsuits)        AS lawsuits,
       SUM(s.corrected)       AS corrected
FROM agency_year_summary s
LEFT JOIN dim_regions f ON f.region_code = s.prefecture_code
WHERE s.prefecture_code IS NOT NULL
GROUP BY ALL;

-- Cross-report checks, stored in `checks` with severity 'warning'. They never change
-- reports.status (set per report by transform/frames.py report_status, from the identities
-- of spec/identities.py). load/warehouse.py runs these
-- statements in order, in the load batch's transaction, for the batch's agencies and
-- every agency sharing a region with them. A blank cell counts as 0.

-- name: scope
CREATE OR REPLACE TEMP TABLE warning_scope AS
WITH loaded AS (SELECT DISTINCT unnest(CAST($agency_ids AS VARCHAR[])) AS agency_id)
SELECT agency_id FROM agencies
WHERE agency_id IN (SELECT agency_id FROM loaded)
   OR region_code IN (SELECT region_code FROM agencies
                      WHERE agency_id IN (SELECT agency_id FROM loaded)
                        AND region_code IS NOT NULL);

-- name: delete_warnings
DELETE FROM checks
WHERE severity = 'warning' AND agency_id IN (SELECT agency_id FROM warning_scope);

-- name: carry_over_continuity
-- spec: carried_over(year) = carried_forward(year-1) of the same agency, when both are loaded.
INSERT INTO checks (agency_id, year, check_code, subject, expected, actual, passed, severity)
SELECT cur.agency_id, cur.year, 'carry_over_continuity', cur.applicant,
       COALESCE(prev.value, 0), COALESCE(cur.value, 0),
       COALESCE(prev.value, 0) = COALESCE(cur.value, 0), 'warning'
FROM requests cur
JOIN requests prev
  ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1
 AND prev.applicant = cur.applicant AND prev.row_code = 'carried_forward'
WHERE cur.row_code = 'carried_over'
  AND cur.agency_id IN (SELECT agency_id FROM warning_scope);

-- name: active_roll_forward
-- 2021 template, table 二: last year's in_force + issued − repealed = in_force, per item.
INSERT INTO checks (agency_id, year, check_code, subject, expected, actual, passed, severity)
WITH cells AS (
    SELECT d.agency_id, d.year, d.item,
           COALESCE(SUM(d.value) FILTER (WHERE d.metric = 'in_force'), 0) AS in_force,
           COALESCE(SUM(d.value) FILTER (WHERE d.metric = 'issued'), 0)   AS issued,
           COALESCE(SUM(d.value) FILTER (WHERE d.metric = 'repealed'), 0) AS repealed
    FROM active_disclosure d
    JOIN reports r USING (agency_id, year)
    WHERE r.template = '2021' AND d.metric IN ('in_force', 'issued', 'repealed')
      AND d.agency_id IN (SELECT agency_id FROM warning_scope)
    GROUP BY ALL
)
SELECT cur.agency_id, cur.year, 'active_roll_forward', cur.item,
       prev.in_force + cur.issued - cur.repealed, cur.in_force,
       prev.in_force + cur.issued - cur.repealed = cur.in_force, 'warning'
FROM cells cur
JOIN cells prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1
               AND prev.item = cur.item;

-- name: government_vs_departments
-- A people's government (body 人民政府 of a province, prefecture or county) against the sum
-- of the departments that share its region code and level (townships and zones, which share
-- a county's or parent's code, are not its departments), per year, for the intake and
-- processed totals; only where the government and at least one department are loaded.
INSERT INTO checks (agency_id, year, check_code, subject, expected, actual, passed, severity)
WITH gov AS (
    SELECT agency_id, region_code, level FROM agencies
    WHERE body = '人民政府' AND level IN ('provincial', 'prefecture', 'county')
      AND region_code IS NOT NULL
      AND agency_id IN (SELECT agency_id FROM warning_scope)
), totals AS (
    SELECT agency_id, year, row_code, COALESCE(value, 0) AS value
    FROM requests
    WHERE applicant = 'total' AND row_code IN ('new_received', 'total_processed')
), depts AS (
    SELECT g.agency_id AS gov_id, t.year, t.row_code, SUM(t.value) AS value
    FROM gov g
    JOIN agencies a ON a.region_code = g.region_code AND a.level = g.level
                   AND a.agency_id <> g.agency_id AND a.body <> '人民政府'
    JOIN totals t ON t.agency_id = a.agency_id
    GROUP BY ALL
)
SELECT t.agency_id, t.year, 'government_vs_departments', t.row_code,
       d.value, t.value, d.value = t.value, 'warning'
FROM totals t
JOIN depts d ON d.gov_id = t.agency_id AND d.year = t.year AND d.row_code = t.row_code;

-- name: drop_scope
DROP TABLE IF EXISTS warning_scope;

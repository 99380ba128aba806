-- Fill the warehouse with $n synthetic agency-years (bench/warehouse.py).
-- Values are deterministic pseudo-random numbers from hash(); shapes follow the 2021 template.
-- Every INSERT names its columns: columns the schema gains later (additions, NULL here) do
-- not break the bench. Agencies are marked checked under today's registry rules
-- ($registry_version), so ensure_schema does not re-resolve the synthetic names.

INSERT INTO agencies (agency_id, name, region_code, level, updated_at, body, id_source,
                      named_by, registry_version)
SELECT 'a' || i, 'agency ' || i, lpad(CAST(110000 + (i % 3000) * 100 AS VARCHAR), 6, '0'),
       'county', now(), 'agency ' || i, 'manifest', 'manifest', '$registry_version'
FROM range(0, $n // 6 + 1) t(i);

INSERT INTO reports (report_id, agency_id, year, title, template, source_uri, sha256,
                     media_type, status, loaded_at, pages, cells, problems, extractor_version)
SELECT md5(i::VARCHAR)[1:16], 'a' || (i // 6), 2019 + (i % 6), 'synthetic', '2021',
       'synthetic://' || i, md5(i::VARCHAR) || md5(i::VARCHAR), 'application/pdf', 'valid', now(),
       3, 200, NULL, 'bench'
FROM range(0, $n) t(i);

INSERT INTO requests (agency_id, year, row_code, applicant, value, raw, sha256, page, bbox)
SELECT 'a' || (i // 6), 2019 + (i % 6), r.row_code, p.applicant,
       (hash(i, r.ordinal, p.ordinal) % 7)::BIGINT, NULL, 'bench', 2, NULL
FROM range(0, $n) t(i), dim_request_rows r, dim_applicants p
WHERE r.row_code <> 'other';

INSERT INTO appeals (agency_id, year, proceeding, outcome, value, raw, sha256, page, bbox)
SELECT 'a' || (i // 6), 2019 + (i % 6), pr.code, oc.code, (hash(i, pr.ordinal, oc.ordinal) % 3)::BIGINT,
       NULL, 'bench', 3, NULL
FROM range(0, $n) t(i), dim_appeal_codes pr, dim_appeal_codes oc
WHERE pr.kind = 'proceeding' AND oc.kind = 'outcome';

INSERT INTO active_disclosure (agency_id, year, item, metric, value, unit, raw, sha256, page,
                               bbox)
SELECT 'a' || (i // 6), 2019 + (i % 6), c.item, c.metric, (hash(i, c.ordinal) % 50)::DOUBLE, c.unit,
       NULL, 'bench', 1, NULL
FROM range(0, $n) t(i), dim_active_cells c
WHERE c.template = '2021';

-- The warehouse of the contract (shared/spec/README.md §3). Columns beyond the
-- contract are marked "addition". Fact tables carry no primary key: uniqueness
-- of (agency_id, year, ...) is kept by replacing an agency-year in one
-- transaction (load/warehouse.py), and bulk loads stay fast.

-- One row per place and body (transform/registry.py): every spelling of 淮安市洪泽区人民政府,
-- 洪泽区人民政府, -1-洪泽区人民政府 is one agency, its other spellings in `aliases`.
CREATE TABLE IF NOT EXISTS agencies (
    agency_id    VARCHAR PRIMARY KEY,   -- stable text key: manifest id, else region_code:body (320813:人民政府), else the canonical name
    name         VARCHAR NOT NULL,      -- canonical Chinese name: the manifest's, else the fullest spelling seen (abbreviations spelled out)
    region_code  VARCHAR,               -- 6-digit GB/T 2260 code, or NULL; a zone's: the division it administers, else its parent's
    level        VARCHAR,               -- national | provincial | prefecture | county | township | zone
    updated_at   TIMESTAMP,             -- addition
    parent_region_code VARCHAR,         -- addition: the division above region_code (GB/T 2260)
    aliases      VARCHAR[],             -- addition: every other spelling the agency's documents and manifests used
    body         VARCHAR,               -- addition: the body part of the id: 人民政府, 科学技术局, 高良涧街道办事处, 苏州工业园区管理委员会
    id_source    VARCHAR,               -- addition: manifest | registry (region and body) | name (no region: the canonical name)
    named_by     VARCHAR,               -- addition: manifest | document (a manifest's name is never replaced by a document's)
    registry_version VARCHAR            -- addition: the registry rules the id was last checked with (transform/registry.py)
);
-- Warehouses made before these additions get them here.
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS parent_region_code VARCHAR;
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS aliases VARCHAR[];
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS body VARCHAR;
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS id_source VARCHAR;
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS named_by VARCHAR;
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS registry_version VARCHAR;

-- Addition: when two agency ids turned out to be one body (the registry learned a spelling),
-- their rows were moved to the surviving id in one transaction (load/warehouse.py).
CREATE TABLE IF NOT EXISTS agency_merges (
    from_id        VARCHAR NOT NULL,    -- the id that is gone
    to_id          VARCHAR NOT NULL,    -- the id its rows, aliases and sources moved to
    reason         VARCHAR NOT NULL,    -- why they are one agency
    reports_moved  INTEGER NOT NULL,    -- agency-years moved to to_id
    conflicts      INTEGER NOT NULL,    -- years both ids had: the newer load kept, the other in report_attempts
    merged_at      TIMESTAMP NOT NULL   -- when, in the transaction that moved the rows
);

-- Addition: readings of an already loaded file that were compared with the loaded one
-- (transform/readings.py). kept = false: the re-read was worse, the loaded rows stayed.
CREATE TABLE IF NOT EXISTS report_attempts (
    agency_id          VARCHAR NOT NULL, -- the agency-year read
    year               INTEGER NOT NULL,
    sha256             VARCHAR NOT NULL, -- of the file read
    source_uri         VARCHAR,          -- where it was read from
    status             VARCHAR NOT NULL, -- this reading's: valid | inconsistent | partial
    cells              INTEGER,          -- value cells this reading found
    problems           VARCHAR,          -- what this reading could not read, one per line
    extractor_version  VARCHAR,          -- of this reading
    attempted_at       TIMESTAMP NOT NULL, -- when it was compared
    kept               BOOLEAN NOT NULL, -- true: this reading is what is loaded; false: the loaded rows were kept
    reason             VARCHAR NOT NULL, -- worse_status | fewer_cells | forced | better | merge_conflict
    loaded_status      VARCHAR,          -- of the reading it was compared with (for merge_conflict: the report that won the year)
    loaded_cells       INTEGER,          -- of that reading
    loaded_extractor_version VARCHAR     -- of that reading
);

CREATE TABLE IF NOT EXISTS reports (
    report_id          VARCHAR NOT NULL,
    agency_id          VARCHAR NOT NULL,
    year               INTEGER NOT NULL,
    title              VARCHAR,
    template           VARCHAR,          -- '2019' | '2021', from table 二
    source_uri         VARCHAR NOT NULL,
    sha256             VARCHAR NOT NULL, -- of the source file's bytes
    media_type         VARCHAR,
    status             VARCHAR NOT NULL, -- valid | inconsistent | partial
    loaded_at          TIMESTAMP NOT NULL,
    pages              INTEGER,          -- addition
    cells              INTEGER,          -- addition: value cells found
    problems           VARCHAR,          -- addition: what could not be read, one per line
    extractor_version  VARCHAR,          -- addition
    heading_source     VARCHAR,          -- addition: which lines or element gave title, agency and year
    text_layer         VARCHAR           -- addition, PDF: pdfium, or pdfminer where pdfium misses text
);
ALTER TABLE reports ADD COLUMN IF NOT EXISTS heading_source VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS text_layer VARCHAR;

CREATE TABLE IF NOT EXISTS requests (
    agency_id  VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    row_code   VARCHAR NOT NULL,
    applicant  VARCHAR NOT NULL,
    value      BIGINT,                  -- NULL for a blank cell
    raw        VARCHAR,                 -- the cell text as found
    sha256     VARCHAR NOT NULL,        -- addition: provenance
    page       INTEGER,                 -- addition: provenance, where the format has pages
    bbox       DOUBLE[]                 -- addition: [x0, top, x1, bottom] in PDF points
);

CREATE TABLE IF NOT EXISTS appeals (
    agency_id   VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    proceeding  VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL,
    value       BIGINT,
    raw         VARCHAR,
    sha256      VARCHAR NOT NULL,
    page        INTEGER,
    bbox        DOUBLE[]
);

CREATE TABLE IF NOT EXISTS active_disclosure (
    agency_id  VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    item       VARCHAR NOT NULL,
    metric     VARCHAR NOT NULL,
    value      DOUBLE,
    unit       VARCHAR,                 -- money always in 万元
    raw        VARCHAR,
    sha256     VARCHAR NOT NULL,
    page       INTEGER,
    bbox       DOUBLE[]
);

-- Addition: every reading of each table that the self-check tried (extract/selfcheck.py),
-- the one kept (chosen) and why: which method read the stored cells.
CREATE TABLE IF NOT EXISTS table_readings (
    agency_id      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    table_name     VARCHAR NOT NULL,    -- active (二) | requests (三) | appeals (四)
    method         VARCHAR NOT NULL,    -- words | grid | text (PDF); grid | lines (HTML, DOCX, text)
    verdict        VARCHAR NOT NULL,    -- passes | fails_checks | incomplete | not_found
    cells          INTEGER NOT NULL,    -- cells this reading read
    expected       INTEGER NOT NULL,    -- cells the template calls for
    failed_checks  INTEGER NOT NULL,    -- identities this reading fails
    chosen         BOOLEAN NOT NULL,    -- the reading whose cells are stored
    note           VARCHAR              -- why it was kept
);

CREATE TABLE IF NOT EXISTS report_sections (
    agency_id  VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    section    INTEGER NOT NULL,        -- 1..6
    heading    VARCHAR,
    body       VARCHAR
);

-- Derived at load time (sql/load.sql insert_outcome_totals): table 三 summed by outcome group,
-- so national aggregates over a million agency-years need not group every cell by agency.
-- `request_outcomes` (sql/views.sql) reads it.
CREATE TABLE IF NOT EXISTS request_outcome_totals (
    agency_id      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    applicant      VARCHAR NOT NULL,
    outcome_group  VARCHAR NOT NULL,
    value          BIGINT,               -- sum over the group's rows (blank cells as 0); BIGINT keeps scans fast
    rows_summed    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS checks (
    agency_id   VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    check_code  VARCHAR NOT NULL,
    subject     VARCHAR NOT NULL,
    expected    DOUBLE,
    actual      DOUBLE,
    passed      BOOLEAN NOT NULL,
    severity    VARCHAR DEFAULT 'error' -- addition: error (per-report, sets status) | warning (cross-report, sql/checks.sql)
);
ALTER TABLE checks ADD COLUMN IF NOT EXISTS severity VARCHAR DEFAULT 'error';

CREATE TABLE IF NOT EXISTS failures (
    source_uri   VARCHAR NOT NULL,
    sha256       VARCHAR,               -- NULL when no byte was read
    stage        VARCHAR NOT NULL,      -- fetch | extract | transform | load
    error        VARCHAR NOT NULL,      -- stable code, e.g. empty_file, not_a_report, encrypted
    detail       VARCHAR,
    occurred_at  TIMESTAMP NOT NULL
);

-- Addition: every source we fetched or read, one row per URI (the last answer),
-- so a nightly run asks with If-None-Match / If-Modified-Since and an unchanged
-- source costs one 304. Listing and article pages of discovery are here too.
CREATE TABLE IF NOT EXISTS sources (
    uri            VARCHAR PRIMARY KEY,
    agency_id      VARCHAR,               -- the manifest's, else the loaded report's
    year           INTEGER,
    fetched_at     TIMESTAMP NOT NULL,    -- last time we asked
    http_status    INTEGER,               -- last answer: 200, 304, 404, ...; NULL for a local file or no answer
    etag           VARCHAR,               -- of the last good (200) answer
    last_modified  VARCHAR,
    sha256         VARCHAR,               -- of the bytes kept in the raw store
    media_type     VARCHAR,               -- sniffed from the bytes, not the Content-Type
    found_via      VARCHAR,               -- the page that linked to it (discovery), else NULL
    role           VARCHAR NOT NULL,      -- document | listing | article
    error          VARCHAR,               -- failures.error of the last attempt, else NULL
    final_url      VARCHAR,               -- the URL that answered, after redirects (links on it are relative to it); NULL for a local file
    portal         VARCHAR                -- the portal owner it was listed by (a manifest row of scope portal), else NULL
);
-- Warehouses made before these additions get them here.
ALTER TABLE sources ADD COLUMN IF NOT EXISTS final_url VARCHAR;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS portal VARCHAR;

-- Dimension tables: the canonical codes with their Chinese labels (extract/spec/*.csv).
CREATE TABLE IF NOT EXISTS dim_request_rows (
    row_code       VARCHAR PRIMARY KEY,
    ordinal        INTEGER NOT NULL,
    templates      VARCHAR NOT NULL,
    outcome_group  VARCHAR NOT NULL,
    label          VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS dim_applicants (
    applicant  VARCHAR PRIMARY KEY,
    ordinal    INTEGER NOT NULL,
    parent     VARCHAR,
    label      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS dim_appeal_codes (
    kind     VARCHAR NOT NULL,          -- proceeding | outcome
    code     VARCHAR NOT NULL,
    ordinal  INTEGER NOT NULL,
    label    VARCHAR NOT NULL,
    PRIMARY KEY (kind, code)
);

CREATE TABLE IF NOT EXISTS dim_active_cells (
    template      VARCHAR NOT NULL,
    article       VARCHAR NOT NULL,
    item          VARCHAR NOT NULL,
    item_label    VARCHAR NOT NULL,
    metric        VARCHAR NOT NULL,
    metric_label  VARCHAR NOT NULL,
    unit          VARCHAR NOT NULL,
    ordinal       INTEGER NOT NULL,
    PRIMARY KEY (template, item, metric)
);

-- The special and functional zones of transform/zones.py, with where their codes come from.
CREATE TABLE IF NOT EXISTS dim_zones (
    zone         VARCHAR PRIMARY KEY,   -- 平潭综合实验区, 苏州工业园区, ...
    region_code  VARCHAR NOT NULL,      -- the code its agencies get
    relation     VARCHAR NOT NULL,      -- administers | own_code | parent: how region_code relates to the zone
    kind         VARCHAR NOT NULL,      -- 国家级新区 | 综合实验区 | 工业园区 | 经济技术开发区 | ...
    spellings    VARCHAR[],             -- other names documents use
    source       VARCHAR NOT NULL       -- the decision or table the code rests on
);

-- The administrative divisions (GB/T 2260) of transform/registry.py's dataset.
CREATE TABLE IF NOT EXISTS dim_regions (
    region_code    VARCHAR PRIMARY KEY, -- 6 digits
    name           VARCHAR NOT NULL,
    level          VARCHAR NOT NULL,    -- provincial | prefecture | county
    parent_code    VARCHAR,
    province_code  VARCHAR NOT NULL
);

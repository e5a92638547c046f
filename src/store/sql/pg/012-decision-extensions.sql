-- 012: the DL-DECISION extension: PostgreSQL flavour of
-- ../012-decision-extensions.sql (one row per extended candidacy).
CREATE TABLE decision_extensions (
	candidacy_id BIGINT PRIMARY KEY REFERENCES candidacies(id) DEFERRABLE,
	date TEXT COLLATE "C" NOT NULL,
	doc_no TEXT NOT NULL,
	unit_id BIGINT NOT NULL REFERENCES units(id) DEFERRABLE,
	actor TEXT NOT NULL
);

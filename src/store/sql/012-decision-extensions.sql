-- 012: the DL-DECISION extension (RULES.md §4, issue 15). The competent
-- committee may give a dossier before it 30 more working days
-- (deadline.decision_extension_workdays) to decide: once per candidacy,
-- after the cell vote and before the decision. The extension is not a step
-- of the pipeline (it neither moves the stage nor is judged by the rules
-- of §3), so it has a table of its own keyed by the candidacy: the
-- primary key is the "once". `unit_id` is the committee that granted it
-- (the candidacy's competent committee on that day), `actor` the account
-- that recorded it; the audit log keeps the same. A new table: an existing
-- database carries forward with no extension recorded, as before.
CREATE TABLE decision_extensions (
	candidacy_id INTEGER PRIMARY KEY REFERENCES candidacies(id),
	date TEXT NOT NULL,
	doc_no TEXT NOT NULL,
	unit_id INTEGER NOT NULL REFERENCES units(id),
	actor TEXT NOT NULL
) STRICT;

-- 014 (issue 13): steps_step_date covers what the reports of a whole
-- organisation read of the period's steps (S_ADMISSIONS_ALL,
-- S_STEP_CANDS_ALL, S_SOURCE_COUNTS_ALL, and the decisions and sources of
-- the subtree statements): the candidacy, the step's own unit (stamped
-- at a transfer) and the nominating organisation. Without them each of
-- the national root's 1.9 M steps of a year was a random read of its
-- row. An existing database gets the index rebuilt from its rows.
DROP INDEX steps_step_date;
CREATE INDEX steps_step_date ON steps(step, date, candidacy_id, unit_id, org);
-- steps_date (003: date, step, candidacy_id) goes: no statement's plan
-- reads it any more (the subtree funnel starts from the candidacies, the
-- rest from steps_step_date), and at national size it was 310 MB of the
-- file that every step written had to keep up to date.
DROP INDEX steps_date;

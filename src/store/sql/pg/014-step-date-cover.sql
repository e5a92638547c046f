-- 014 (issue 13): steps_step_date covers the period's steps for the
-- reports: PostgreSQL flavour of ../014-step-date-cover.sql (the same
-- columns, so that an index-only scan can answer them).
DROP INDEX steps_step_date;
CREATE INDEX steps_step_date ON steps(step, date, candidacy_id, unit_id, org);

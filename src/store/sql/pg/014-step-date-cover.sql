-- 014 (issue 13): steps_step_date covers the period's steps for the
-- reports, and steps_date, which no statement needs any more, goes:
-- PostgreSQL flavour of ../014-step-date-cover.sql (the same indexes).
DROP INDEX steps_step_date;
CREATE INDEX steps_step_date ON steps(step, date, candidacy_id, unit_id, org);
DROP INDEX steps_date;

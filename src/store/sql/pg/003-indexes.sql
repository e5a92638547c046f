-- 003 (PostgreSQL flavour, the same statements): indexes for the web application's lists and the dashboard: the
-- steps of a period (funnel, admissions) and a candidacy's steps in order
-- with their codes and dates (pipeline walks, the candidate list).
CREATE INDEX steps_date ON steps(date, step, candidacy_id);
CREATE INDEX steps_candidacy ON steps(candidacy_id, seq, step, date);

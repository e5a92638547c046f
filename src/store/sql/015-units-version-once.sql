-- 015 (issue 13): on PostgreSQL the units version now moves once per
-- transaction that writes units (pg/015-units-version-once.sql says why).
-- SQLite keeps 008's per-row triggers: it has one version of the changes
-- row at a time, so a bump costs the same however many came before.
SELECT 1;

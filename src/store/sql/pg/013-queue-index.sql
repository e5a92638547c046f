-- 013 (issue 13): the open candidacies by stage, for the decisions queue:
-- PostgreSQL flavour of ../013-queue-index.sql (the same partial index).
CREATE INDEX candidacies_open_stage ON candidacies(stage, unit_id) WHERE is_open = 1;

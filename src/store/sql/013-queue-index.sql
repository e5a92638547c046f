-- 013 (issue 13): the open candidacies by stage, for the decisions queue
-- (S_QUEUE_DATES): a dossier waits for the decision only at cell_vote or
-- committee_vote, so the queue reads the few open candidacies at those
-- stages through this index instead of every open candidacy of the
-- subtree. A partial index (is_open = 1) stays as small as the open
-- candidacies; an existing database gets it built from its rows.
CREATE INDEX candidacies_open_stage ON candidacies(stage, unit_id) WHERE is_open = 1;

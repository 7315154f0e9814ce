-- Up Migration

-- How far the loader has shipped each click journal (server/src/journal) into events. One row per
-- journal (a DATA_DIR's journal names itself with a random id): the segment and byte offset of the
-- first line not yet loaded. The loader writes it in the same transaction as the events it loaded,
-- so a crash between the two can neither skip a line nor load one twice.
CREATE TABLE journal_positions (
  journal_id    text PRIMARY KEY,
  segment       bigint NOT NULL,
  byte_offset   bigint NOT NULL,
  events_loaded bigint NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

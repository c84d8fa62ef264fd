-- A poll asks for _lastUpdated=ge<cursor>, so that resources written in the cursor's own millisecond but not yet seen
-- are not missed. The versions already read at exactly that instant are kept, so that the next poll does not read
-- (and decide) them again: space-separated Type/id/versionId/lastUpdated, empty when there were too many to keep.
alter table ingest_cursor add column seen_at_cursor varchar(4000);

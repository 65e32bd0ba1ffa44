-- The articles still to be indexed for search (issue 17).  Start-up used to find them by
-- comparing every article with the whole index (`id NOT IN`), a time that grew with the
-- archive; now they are listed here and start-up reads only this list, almost always empty.
-- Ingestion indexes each article in the transaction that stores it, so nothing new is listed
-- then; rows come from databases older than search (migration 0002 indexed nothing) and from
-- `akhbar db copy`, which copies articles but not the index.
CREATE TABLE search_backlog (
    article_id  INTEGER PRIMARY KEY REFERENCES articles (id)
);
INSERT INTO search_backlog (article_id)
    SELECT id FROM articles WHERE id NOT IN (SELECT rowid FROM article_search);

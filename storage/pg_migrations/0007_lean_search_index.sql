-- Number 0007 on SQLite makes its search index contentless (no copy of the text).  PostgreSQL's
-- index (migration 0002) never had one — a tsvector column and its GIN index — so nothing
-- changes here; the number is kept so that both engines' migrations say the same thing.
SELECT 1;

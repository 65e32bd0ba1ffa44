-- The articles still to be indexed for search (storage/migrations/0008 says why).
CREATE TABLE search_backlog (
    article_id  bigint PRIMARY KEY REFERENCES articles (id)
);
INSERT INTO search_backlog (article_id)
    SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_search s WHERE s.article_id = a.id);

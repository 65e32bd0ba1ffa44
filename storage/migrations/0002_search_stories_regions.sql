-- Full-text search, stories (one event told by several sources) and wilaya tags.

-- SQLite's tokenizers know no Arabic: the core normalizes and light-stems every word in
-- Python, and this table indexes those forms (rowid = articles.id).  Exact words and stems
-- are separate columns so that bm25 can rank exact matches above stem matches.
CREATE VIRTUAL TABLE article_search USING fts5(
    title_words, title_stems, body_words, body_stems,
    tokenize = 'unicode61 remove_diacritics 0'
);
-- The ranking `ORDER BY rank` uses: a title beats a body, an exact word beats a stem.
INSERT INTO article_search (article_search, rank) VALUES ('rank', 'bm25(8.0, 4.0, 2.0, 1.0)');

-- A story is named by its first article's id; its other articles point to it.
CREATE TABLE stories (
    id         INTEGER PRIMARY KEY,   -- the id of the story's first article
    latest_at  TEXT NOT NULL,         -- newest publication time among its articles
    size       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX stories_newest ON stories (latest_at DESC, id DESC);
ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories (id);
CREATE INDEX articles_by_story ON articles (story_id, id);
-- Articles stored before this migration each start as a story of their own.
INSERT INTO stories (id, latest_at, size) SELECT id, coalesce(published_at, fetched_at), 1 FROM articles;
UPDATE articles SET story_id = id;

CREATE TABLE article_regions (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    wilaya      INTEGER NOT NULL,     -- official wilaya code, 1..69
    PRIMARY KEY (article_id, wilaya)
) WITHOUT ROWID;
CREATE INDEX article_regions_by_wilaya ON article_regions (wilaya, article_id);

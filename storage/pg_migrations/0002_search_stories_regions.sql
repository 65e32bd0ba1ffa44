-- Full-text search, stories (one event told by several sources) and wilaya tags.

-- PostgreSQL's dictionaries know no Arabic either: the core normalizes and light-stems every
-- word in Python, and this table holds those forms as one tsvector per article, given as a
-- literal (news.search.tsvector_text): title words weight A, title stems B, body words C,
-- body stems D, stems marked apart from words.  A GIN index answers `doc @@ query`.
CREATE TABLE article_search (
    article_id  bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    doc         tsvector NOT NULL
);
CREATE INDEX article_search_doc ON article_search USING gin (doc);

-- A story is named by its first article's id; its other articles point to it.
CREATE TABLE stories (
    id         bigint PRIMARY KEY,    -- the id of the story's first article
    latest_at  text NOT NULL,         -- newest publication time among its articles
    size       integer NOT NULL DEFAULT 1
);
CREATE INDEX stories_newest ON stories (latest_at DESC, id DESC);
ALTER TABLE articles ADD COLUMN story_id bigint REFERENCES stories (id);
CREATE INDEX articles_by_story ON articles (story_id, id);
-- Articles stored before this migration each start as a story of their own.
INSERT INTO stories (id, latest_at, size) SELECT id, coalesce(published_at, fetched_at), 1 FROM articles;
UPDATE articles SET story_id = id;

CREATE TABLE article_regions (
    article_id  bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    wilaya      integer NOT NULL,     -- official wilaya code, 1..69
    PRIMARY KEY (article_id, wilaya)
);
CREATE INDEX article_regions_by_wilaya ON article_regions (wilaya, article_id);

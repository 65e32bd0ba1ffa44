-- A btree entry holds at most ~2,700 bytes, and a link of 2,048 characters (the most
-- news.articles.check_url lets through) in Arabic script is up to three times that in UTF-8:
-- article links and feed addresses are kept unique on their md5 (32 bytes whatever the
-- length; a collision between two real links is not a concern).  Lookups ask for
-- md5(url) = md5(value) to use the index (the dialect's `key`).  Guids are cut to 500
-- characters (make_article): at most 2,000 bytes, they keep their index.
DROP INDEX articles_by_url;
CREATE UNIQUE INDEX articles_by_url ON articles (md5(url)) WHERE url IS NOT NULL;
ALTER TABLE sources DROP CONSTRAINT sources_url_key;
CREATE UNIQUE INDEX sources_by_url ON sources (md5(url));

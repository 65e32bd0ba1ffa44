-- The search index without its own copy of the text (issue 17): a contentless FTS5 table
-- (content = '') keeps only the index — terms, positions, column sizes — which is all that
-- MATCH, phrase queries and bm25 read.  The normalized words and stems it indexes can always
-- be made again from articles.title and articles.body (news.search.index_text); highlighting
-- works on the original text in Python, never on the index.  At 200,000 articles the copy was
-- half of the file.
--
-- SQLite here is 3.40: no contentless_delete (3.43).  Articles are never deleted nor their
-- text edited (hiding keeps the row), so the index is only ever added to; a change of an
-- article's text would use FTS5's 'delete' command with its old index text, remade from the
-- old title and body.
CREATE VIRTUAL TABLE article_search_lean USING fts5(
    title_words, title_stems, body_words, body_stems,
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO article_search_lean (article_search_lean, rank) VALUES ('rank', 'bm25(8.0, 4.0, 2.0, 1.0)');
-- Existing databases: the index rebuilt from the old table's copy, in place.
INSERT INTO article_search_lean (rowid, title_words, title_stems, body_words, body_stems)
    SELECT rowid, title_words, title_stems, body_words, body_stems FROM article_search;
-- One b-tree per term, as the bot's searches like it (merging is otherwise left to later writes).
INSERT INTO article_search_lean (article_search_lean) VALUES ('optimize');
DROP TABLE article_search;
ALTER TABLE article_search_lean RENAME TO article_search;

-- Which version of the search analyser (news.search.ANALYSER_VERSION) made the search index.
-- A database with articles was indexed by version 1, by rule alone, or in part (its articles
-- stored since 7 December) by 2, with news.text.PEELED_SHORT; an empty one is 2's.  A bot
-- running another version than its index's indexes every article again, in the background, a
-- batch at a time (news.ingest.reindex_search), 'search_reindexed_to' holding the last article
-- id done meanwhile, so that a reindex cut short goes on where it stopped.
INSERT INTO versions (name, value)
    SELECT 'search_analyser', CASE WHEN EXISTS (SELECT 1 FROM articles) THEN 1 ELSE 2 END;

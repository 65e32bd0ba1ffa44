-- Which version of the search analyser made the search index (storage/migrations/0023 says why).
INSERT INTO versions (name, value)
    SELECT 'search_analyser', CASE WHEN EXISTS (SELECT 1 FROM articles) THEN 1 ELSE 2 END;

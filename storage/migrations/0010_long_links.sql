-- Number 0010 on PostgreSQL keeps article links and feed addresses unique on their md5, since
-- its btree takes no entry over ~2,700 bytes.  SQLite's indexes take any length: nothing
-- changes here; the number is kept so that both engines' migrations say the same thing.
SELECT 1;

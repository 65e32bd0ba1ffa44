-- The publication time a source claimed when it was more than an hour after the article's
-- arrival (a feed whose clock says 2099): published_at is then the arrival, and the claim is
-- kept here for the record (/read shows it).  NULL: the claimed time was believed, or none.
ALTER TABLE articles ADD COLUMN claimed_published_at text;

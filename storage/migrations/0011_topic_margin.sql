-- How sure the topic lexicon was of an article's topics (news.classify.Filing.margin): a weakly
-- filed version of a story is filed again when a surer version of the same story arrives.
-- NULL: topics given by a person or the source's own section (final), or stored before this.
ALTER TABLE articles ADD COLUMN topic_margin REAL;

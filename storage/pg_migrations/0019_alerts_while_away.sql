-- An alert owed to a reader while they had blocked the bot (or a group had removed it): when
-- the chat comes back, what it is still owed is held and marked `away` (1), and goes as one
-- "while you were away" bundle rather than one by one (news/services/alerts.py).  0 for every
-- alert made before, read unchanged.
ALTER TABLE alerts ADD COLUMN away integer NOT NULL DEFAULT 0;

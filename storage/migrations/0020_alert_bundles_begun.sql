-- A held alert of a bundle of several messages whose first ones went out and not the rest
-- (the bot demoted in a channel, blocked, a flood wait between two pages): 1.  The alerts on
-- the pages sent are recorded as sent; these are sent as the rest of that bundle, from its
-- first page not sent, without its header again (news/services/alerts.py).  0 for every
-- alert before.
ALTER TABLE alerts ADD COLUMN bundle_begun INTEGER NOT NULL DEFAULT 0;

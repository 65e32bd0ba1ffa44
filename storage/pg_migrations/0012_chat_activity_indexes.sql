-- The readers of /stats's chart (storage/activity.py): chats met and chats lost per day, and
-- those active before the thirty days, counted from indexes rather than by reading every chat.
CREATE INDEX chats_by_created ON chats (created_at);
CREATE INDEX chats_inactive_since ON chats (inactive_at) WHERE active = 0;

-- What each process was told to send at (AKHBAR_SEND_RATE, AKHBAR_PAID_BROADCAST), as it
-- says it ("1000/s, paid broadcasts"): processes given different settings say so in their log
-- (bot/processes.py).  '' for a process started before.
ALTER TABLE processes ADD COLUMN sends TEXT NOT NULL DEFAULT '';

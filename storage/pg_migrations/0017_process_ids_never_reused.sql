-- SQLite's 0017 makes process ids never given twice; an identity never gives one twice, so
-- here it is only said where the next reader of the schema looks.
COMMENT ON COLUMN processes.id IS
    'never given twice (an identity): a process forgotten after an hour silent, back, shares its id with nobody';

-- What a follow leaves out (`/follow الجزائر -كرة`): the normalized words of each thing left
-- out, a space between words, `|` between things ('كره|كاس العالم'); '' for none, as every
-- follow and mute made before has.  Matching reads it with `terms` (news.model.Follow).
ALTER TABLE follows ADD COLUMN excluded text NOT NULL DEFAULT '';

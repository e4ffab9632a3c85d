-- Reserved for the RSS onward split (issue 13, items 1-4), made on another
-- branch; this placeholder keeps the numbers without a gap until the two
-- are merged, when that branch's 0011 takes its place.
SELECT 1;

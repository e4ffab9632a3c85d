-- Reserved for a branch made beside this one (issue 14); this placeholder
-- keeps the numbers without a gap until the branches are merged, when that
-- branch's migration takes its place.
SELECT 1;

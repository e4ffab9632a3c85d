-- Reserved for another branch's migration 0008 (issue 12, sign-in
-- throttling); this placeholder does nothing and is to be deleted when
-- that branch's 0008 is merged.
SELECT 1;

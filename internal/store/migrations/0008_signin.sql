-- Failed sign-ins are counted in memory now (auth.Throttle: bounded,
-- forgotten after an hour); the table grew without limit.
DROP TABLE login_failures;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

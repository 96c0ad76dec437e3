-- API keys managed over the API: an optional expiry, and when the key was last used.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
CREATE INDEX api_keys_by_user ON api_keys (dealer_id, user_id, created_at);

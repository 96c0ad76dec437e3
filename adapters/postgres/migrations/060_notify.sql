-- Notices (issue 12): each dealer's mailbox settings (one row per dealer, its id the dealer's) and its own
-- notice templates per kind and language. Owned by the notify domain. The secrets (password, OAuth client
-- secret and refresh token) are kept to send with and never returned by the API.

CREATE TABLE mailboxes (
    id               uuid PRIMARY KEY,
    dealer_id        uuid NOT NULL REFERENCES dealers (id) CHECK (dealer_id = id),
    version          bigint NOT NULL CHECK (version > 0),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    from_address     text NOT NULL,
    from_name        text NOT NULL DEFAULT '',
    reply_to         text NOT NULL DEFAULT '',
    host             text NOT NULL,
    port             integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security         text NOT NULL CHECK (security IN ('starttls', 'tls', 'none')),
    auth             text NOT NULL CHECK (auth IN ('none', 'plain', 'login', 'xoauth2')),
    username         text NOT NULL DEFAULT '',
    password         text NOT NULL DEFAULT '',
    oauth_token_url  text NOT NULL DEFAULT '',
    oauth_client_id  text NOT NULL DEFAULT '',
    oauth_secret     text NOT NULL DEFAULT '',
    oauth_refresh    text NOT NULL DEFAULT '',
    language         text NOT NULL CHECK (language IN ('ru', 'en')),
    prefer           text NOT NULL CHECK (prefer IN ('email', 'sms')),
    reminder_minutes integer NOT NULL CHECK (reminder_minutes > 0),
    CONSTRAINT mailboxes_no_credentials_in_clear CHECK (security <> 'none' OR auth = 'none')
);

CREATE TABLE message_templates (
    id         uuid PRIMARY KEY,
    dealer_id  uuid NOT NULL REFERENCES dealers (id),
    version    bigint NOT NULL CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    kind       text NOT NULL,
    language   text NOT NULL CHECK (language IN ('ru', 'en')),
    subject    text NOT NULL CHECK (subject <> ''),
    body_text  text NOT NULL CHECK (body_text <> ''),
    body_html  text NOT NULL DEFAULT '',
    CONSTRAINT message_templates_one UNIQUE (dealer_id, kind, language)
);

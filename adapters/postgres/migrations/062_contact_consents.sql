-- Consent per contact and channel (issue 12, outside review): a customer's consents to be reached by e-mail or
-- SMS for service notices and marketing, each with when and where it was given or withdrawn, as a JSON list
-- [{channel, purpose, granted, at, source}] (at most one per channel and purpose; the notify domain reads it
-- before every message). A lead keeps its consents in its doc, beside its contact.

ALTER TABLE customers ADD COLUMN consents jsonb NOT NULL DEFAULT '[]'
    CONSTRAINT customers_consents_list CHECK (jsonb_typeof(consents) = 'array');

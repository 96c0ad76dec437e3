-- One source of truth for "do not send me campaigns" (issue 12 follow-up 3): the unsubscribe list of migration 061
-- (suppressions, per dealer and address; no longer written since consents, migration 062) becomes withdrawn
-- marketing consent on the matching channel of every customer and lead of the dealer having the address — an
-- e-mail address (with @) on email, a phone on sms — dated when the address was listed, source unsubscribe_link;
-- a contact whose word on that channel and purpose is later (a consent given since) keeps it. Then the list is
-- dropped, so giving consent again is all it takes to be mailed again.

CREATE FUNCTION pg_temp.withdraw_marketing(cs jsonb, ch text, at timestamptz) RETURNS jsonb LANGUAGE sql AS $$
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(cs) e
                     WHERE e->>'channel' = ch AND e->>'purpose' = 'marketing' AND (e->>'at')::timestamptz > at)
        THEN cs
        ELSE (SELECT coalesce(jsonb_agg(x ORDER BY x->>'channel', x->>'purpose'), '[]'::jsonb)
              FROM (SELECT e AS x FROM jsonb_array_elements(cs) e
                    WHERE NOT (e->>'channel' = ch AND e->>'purpose' = 'marketing')
                    UNION ALL
                    SELECT jsonb_build_object('channel', ch, 'purpose', 'marketing', 'granted', false,
                        'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                        'source', 'unsubscribe_link')) y)
    END
$$;

CREATE TEMP VIEW suppressed AS
SELECT dealer_id, address, CASE WHEN position('@' IN address) > 0 THEN 'email' ELSE 'sms' END AS channel,
       created_at
FROM suppressions;

UPDATE customers c
SET consents = pg_temp.withdraw_marketing(c.consents, 'email', s.at), version = c.version + 1
FROM (SELECT c2.id, max(x.created_at) AS at
      FROM suppressed x JOIN customers c2 ON c2.dealer_id = x.dealer_id AND x.address = ANY (c2.emails)
      WHERE x.channel = 'email'
      GROUP BY c2.id) s
WHERE c.id = s.id AND pg_temp.withdraw_marketing(c.consents, 'email', s.at) <> c.consents;

UPDATE leads l
SET doc = jsonb_set(l.doc, '{contact,consents}',
        pg_temp.withdraw_marketing(coalesce(l.doc #> '{contact,consents}', '[]'::jsonb), 'email', s.at)),
    version = l.version + 1
FROM (SELECT l2.id, max(x.created_at) AS at
      FROM suppressed x JOIN leads l2 ON l2.dealer_id = x.dealer_id AND x.address = ANY (l2.emails)
      WHERE x.channel = 'email'
      GROUP BY l2.id) s
WHERE l.id = s.id;

UPDATE customers c
SET consents = pg_temp.withdraw_marketing(c.consents, 'sms', s.at), version = c.version + 1
FROM (SELECT c2.id, max(x.created_at) AS at
      FROM suppressed x JOIN customers c2 ON c2.dealer_id = x.dealer_id AND x.address = ANY (c2.phones)
      WHERE x.channel = 'sms'
      GROUP BY c2.id) s
WHERE c.id = s.id AND pg_temp.withdraw_marketing(c.consents, 'sms', s.at) <> c.consents;

UPDATE leads l
SET doc = jsonb_set(l.doc, '{contact,consents}',
        pg_temp.withdraw_marketing(coalesce(l.doc #> '{contact,consents}', '[]'::jsonb), 'sms', s.at)),
    version = l.version + 1
FROM (SELECT l2.id, max(x.created_at) AS at
      FROM suppressed x JOIN leads l2 ON l2.dealer_id = x.dealer_id AND x.address = ANY (l2.phones)
      WHERE x.channel = 'sms'
      GROUP BY l2.id) s
WHERE l.id = s.id;

DROP VIEW suppressed;
DROP FUNCTION pg_temp.withdraw_marketing(jsonb, text, timestamptz);
DROP TABLE suppressions;

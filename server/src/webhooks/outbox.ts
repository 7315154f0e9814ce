/**
 * The outbox fan-out: one webhook delivery per new event and matching active subscription. The
 * events insert (events/store.ts) runs it in the same statement, so in the same transaction: an
 * event is never stored without its deliveries, nor a delivery without its event. `newEvents`
 * names the statement's relation of the rows just inserted, with the columns the filters read:
 * id, type, occurred_at, campaign_id, code, recipient, variant, url, conversion_name, wave. A delivery
 * carries its event's time beside its id: events are partitioned by that time (migration 024).
 *
 * Clicks and views stored without recipient and code (Do-Not-Track visitors under
 * DO_NOT_TRACK=anonymous: redirect/handler.ts; every other click or view comes from a link and
 * carries its code) get no delivery: the visitor asked not to be tracked, and a workflow could do
 * nothing for nobody.
 *
 * A subscription's filters (validate.ts) are conditions of the join, so an event that does not
 * match gets no delivery row at all and n8n is never woken for it.
 *
 * "First event per recipient" is exact without a read-then-write: the delivery of such an event
 * carries first_key (type, campaign, recipient) and a unique index on (subscription_id, first_key)
 * rejects every later one through ON CONFLICT DO NOTHING. The check and the write are one index
 * insertion, so two clicks in one batch give one row, and two concurrent batches serialise on the
 * index entry: the second waits for the first to commit and then skips (or takes the slot if the
 * first rolled back). The key lives on the delivery row rather than in a table of its own because
 * a data-modifying CTE cannot nest inside this INSERT, and a second top-level CTE would change the
 * statement the events insert composes. The ORDER BY takes index entries in one order in every
 * transaction (no deadlock between two batches holding each other's recipients) and lets the
 * earliest event of a batch win. The conflict target names the partial index alone: deliveries
 * without a key skip the conflict check entirely (measured: the unfiltered path then costs about
 * what it did before filters), and any other unique violation still fails loudly.
 */
export const outboxInsertSql = (newEvents: string) => `
  INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_occurred_at, first_key)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, i.id, i.occurred_at,
    CASE WHEN s.first_per_recipient AND i.recipient IS NOT NULL
      THEN i.type || ' ' || i.campaign_id || ' ' || i.recipient END
  FROM ${newEvents} i
  JOIN webhook_subscriptions s
    ON s.disabled_at IS NULL
   AND i.type = ANY (s.events)
   -- a click or view with neither recipient nor code is a Do-Not-Track visitor's: no webhook
   AND (i.type NOT IN ('click', 'view') OR i.recipient IS NOT NULL OR i.code IS NOT NULL)
   AND (s.campaign_id IS NULL OR s.campaign_id = i.campaign_id)
   AND (s.variant IS NULL OR s.variant = i.variant)
   AND (s.url_contains IS NULL OR i.type NOT IN ('click', 'view', 'conversion')
        OR strpos(lower(i.url), lower(s.url_contains)) > 0)
   AND (s.conversion_name IS NULL OR i.type <> 'conversion' OR s.conversion_name = i.conversion_name)
   AND (s.wave IS NULL OR s.wave = i.wave)
  ORDER BY s.id, 5, i.id
  ON CONFLICT (subscription_id, first_key) WHERE first_key IS NOT NULL DO NOTHING
  RETURNING 1`;

-- sqlite.sql - the sqlite3 command line's side of `make bench`: the same
-- figures as ct_bench, in plain SQL, for the default convtop.yaml (stages
-- funnel with a 7-day window, the Checkout funnel with 1 day, cohorts by
-- month on purchase in Europe/Helsinki, the four goals).  bench.sh runs them
-- in one sqlite3 process on a copy of the shop that has one more index:
--
--   CREATE INDEX bench_event_customer_ts ON events(event, customer_id, ts);
--
-- and with TZ set to the shop's time zone (for the 'localtime' modifier).
-- Each query returns one text value, the answer that bench.sh compares with
-- convtop's.  "-- @figure NAME" starts a query; in the search query @Q@ is the
-- typed text, and "-- @inside N" says the query runs it N times (the CLI's
-- timer has millisecond resolution).
--
-- Funnels (SPEC 5.1, ordered): a customer reaches step j when some event of
-- step j ends a chain e1..ej with ts(e1) <= ... <= ts(ej) and
-- ts(ej) - ts(e1) <= W.  From a last step the best chain takes each earlier
-- step as late as possible (the latest step j-1 at or before step j), so a
-- chain exists when a step-1 event lies in [ts(ej) - W, ts(e2)].  Those are
-- index look-ups, one per candidate last step, and EXISTS stops at the first
-- success per customer.  Equal timestamps are allowed between steps
-- (<= everywhere).  One event never fills two steps: the steps here are
-- disjoint sets of events except purchase (step 3) and the 2nd purchase
-- (step 4), where the step-3 look-up skips the 2nd purchase itself
-- (e3.id <> id4).  The range is all data, so every chain starts inside it.

-- @figure funnel_stages_7d
SELECT
 (SELECT count(DISTINCT customer_id) FROM events WHERE event = 'page_view') || ',' ||
 (SELECT count(*) FROM customers c WHERE EXISTS (
    SELECT 1 FROM events e2
    WHERE e2.event IN ('product_view', 'newsletter_signup') AND e2.customer_id = c.id
      AND EXISTS (SELECT 1 FROM events e1
                  WHERE e1.event = 'page_view' AND e1.customer_id = c.id
                    AND e1.ts BETWEEN e2.ts - 604800000 AND e2.ts))) || ',' ||
 (SELECT count(*) FROM (SELECT DISTINCT customer_id AS cid FROM events WHERE event = 'purchase') c
  WHERE EXISTS (
    SELECT 1 FROM events e3
    WHERE e3.event = 'purchase' AND e3.customer_id = c.cid
      AND EXISTS (SELECT 1 FROM events e1
                  WHERE e1.event = 'page_view' AND e1.customer_id = c.cid
                    AND e1.ts BETWEEN e3.ts - 604800000 AND
                        (SELECT max(ts) FROM events e2
                         WHERE e2.event IN ('product_view', 'newsletter_signup')
                           AND e2.customer_id = c.cid AND e2.ts <= e3.ts)))) || ',' ||
 (SELECT count(*) FROM (
    -- each customer's 2nd purchase, by time and then import order
    SELECT p.customer_id AS cid, p.ts AS t4, p.id AS id4 FROM events p
    WHERE p.event = 'purchase'
      AND p.id = (SELECT id FROM events x WHERE x.event = 'purchase'
                  AND x.customer_id = p.customer_id ORDER BY x.ts, x.id LIMIT 1 OFFSET 1)) c
  WHERE EXISTS (
    SELECT 1 FROM events e1
    WHERE e1.event = 'page_view' AND e1.customer_id = c.cid
      AND e1.ts BETWEEN c.t4 - 604800000 AND
          (SELECT max(ts) FROM events e2
           WHERE e2.event IN ('product_view', 'newsletter_signup') AND e2.customer_id = c.cid
             AND e2.ts <= (SELECT max(ts) FROM events e3
                           WHERE e3.event = 'purchase' AND e3.customer_id = c.cid
                             AND e3.ts <= c.t4 AND e3.id <> c.id4))));

-- @figure funnel_checkout
SELECT
 (SELECT count(DISTINCT customer_id) FROM events WHERE event = 'product_view') || ',' ||
 (SELECT count(*) FROM (SELECT DISTINCT customer_id AS cid FROM events WHERE event = 'add_to_cart') c
  WHERE EXISTS (
    SELECT 1 FROM events e2
    WHERE e2.event = 'add_to_cart' AND e2.customer_id = c.cid
      AND EXISTS (SELECT 1 FROM events e1
                  WHERE e1.event = 'product_view' AND e1.customer_id = c.cid
                    AND e1.ts BETWEEN e2.ts - 86400000 AND e2.ts))) || ',' ||
 (SELECT count(*) FROM (SELECT DISTINCT customer_id AS cid FROM events WHERE event = 'begin_checkout') c
  WHERE EXISTS (
    SELECT 1 FROM events e3
    WHERE e3.event = 'begin_checkout' AND e3.customer_id = c.cid
      AND EXISTS (SELECT 1 FROM events e1
                  WHERE e1.event = 'product_view' AND e1.customer_id = c.cid
                    AND e1.ts BETWEEN e3.ts - 86400000 AND
                        (SELECT max(ts) FROM events e2
                         WHERE e2.event = 'add_to_cart' AND e2.customer_id = c.cid
                           AND e2.ts <= e3.ts)))) || ',' ||
 (SELECT count(*) FROM (SELECT DISTINCT customer_id AS cid FROM events WHERE event = 'purchase') c
  WHERE EXISTS (
    SELECT 1 FROM events e4
    WHERE e4.event = 'purchase' AND e4.customer_id = c.cid
      AND EXISTS (SELECT 1 FROM events e1
                  WHERE e1.event = 'product_view' AND e1.customer_id = c.cid
                    AND e1.ts BETWEEN e4.ts - 86400000 AND
                        (SELECT max(ts) FROM events e2
                         WHERE e2.event = 'add_to_cart' AND e2.customer_id = c.cid
                           AND e2.ts <= (SELECT max(ts) FROM events e3
                                         WHERE e3.event = 'begin_checkout'
                                           AND e3.customer_id = c.cid AND e3.ts <= e4.ts)))));

-- Cohorts (SPEC 5.3): cohort = local month of the first purchase; cell
-- (cohort, k) = customers with a purchase in month cohort + k, k = 0..11.
-- Months are local through 'localtime' (TZ is the shop's zone).  Answer: every
-- non-zero cell as YYYY-MM+k:customers (offset 0 is the cohort size).
-- @figure cohort_month
WITH p AS MATERIALIZED (
  SELECT DISTINCT customer_id AS c,
         CAST(strftime('%Y', ts / 1000, 'unixepoch', 'localtime') AS INTEGER) * 12 +
         CAST(strftime('%m', ts / 1000, 'unixepoch', 'localtime') AS INTEGER) - 1 AS m
  FROM events WHERE event = 'purchase'),
f AS (SELECT c, min(m) AS m0 FROM p GROUP BY c),
cell AS (
  SELECT f.m0 AS m0, p.m - f.m0 AS k, count(*) AS n
  FROM p JOIN f USING (c)
  WHERE p.m - f.m0 BETWEEN 0 AND 11
  GROUP BY f.m0, k ORDER BY f.m0, k)
SELECT group_concat(printf('%04d-%02d+%d:%d', m0 / 12, m0 % 12 + 1, k, n), ',') FROM cell;

-- Goals (SPEC 5.2), all data: converters of each goal in config order, then
-- completions, visitors and purchase revenue (computed, not compared).
-- @figure goals
SELECT
 (SELECT count(DISTINCT customer_id) FROM events WHERE event = 'newsletter_signup') || ',' ||
 (SELECT count(DISTINCT customer_id) FROM events WHERE event = 'review') || ',' ||
 (SELECT count(DISTINCT customer_id) FROM events WHERE event = 'purchase') || ',' ||
 (SELECT count(DISTINCT customer_id) FROM events WHERE event = 'quote_request') || ';' ||
 (SELECT group_concat(n, ',') FROM (
    SELECT count(*) AS n FROM events
    WHERE event IN ('newsletter_signup', 'review', 'purchase', 'quote_request')
    GROUP BY event ORDER BY event)) || ';' ||
 (SELECT count(*) FROM customers c WHERE EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.id))
 || ';' || (SELECT round(sum(value), 2) FROM events WHERE event = 'purchase');

-- Search as you type: customers whose e-mail or name starts with the typed
-- text (LIKE is case-insensitive and uses the NOCASE indexes), a page of 200
-- sorted by key.
-- @figure search
-- @inside 100
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100)
SELECT max(n) FROM (
  SELECT (SELECT count(*) FROM (SELECT key FROM customers WHERE id IN (
            SELECT id FROM customers
            WHERE (email LIKE '@Q@%' OR name LIKE '@Q@%') AND r.i > 0 LIMIT 200)
          ORDER BY key)) AS n
  FROM r);

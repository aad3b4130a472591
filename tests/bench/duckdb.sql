-- duckdb.sql - DuckDB's side of `make bench`: the figures of sqlite.sql for
-- the default convtop.yaml, in DuckDB SQL.  duckdb_bench.cjs loads the
-- events and customers (CSV exported from the shop by sqlite3) into an
-- in-memory database and runs each query warm, several times, in one process
-- (both cores).  Each query returns one text value, the answer; "-- @figure
-- NAME" starts a query, @Q@ is the typed text of the search.
--
-- Funnels (SPEC 5.1, ordered) as in sqlite.sql: from each candidate last
-- step, the latest earlier step at or before it (an ASOF JOIN), down to step
-- 1; the chain holds when ts(last) - ts(e1) <= W.  The step-4 event (2nd
-- purchase) looks up its step 3 among the other purchases, so one event never
-- fills two steps.  Levels 3 and 4 join only the earlier steps of the
-- customers who have a last step (a semi-join first), which halves the time
-- on 10M events.

-- @figure funnel_stages_7d
WITH s1 AS (SELECT customer_id AS c, ts FROM events WHERE event = 'page_view'),
s2 AS (SELECT customer_id AS c, ts FROM events
       WHERE event IN ('product_view', 'newsletter_signup')),
pur AS (SELECT customer_id AS c, ts,
               row_number() OVER (PARTITION BY customer_id ORDER BY ts, id) AS n
        FROM events WHERE event = 'purchase'),
-- steps 1 and 2 of the customers who bought: all that levels 3 and 4 look at
s1b AS (SELECT * FROM s1 WHERE c IN (SELECT c FROM pur)),
s2b AS (SELECT * FROM s2 WHERE c IN (SELECT c FROM pur)),
l2 AS (SELECT DISTINCT b.c FROM s2 b ASOF JOIN s1 a ON a.c = b.c AND a.ts <= b.ts
       WHERE b.ts - a.ts <= 604800000),
l3 AS (SELECT DISTINCT p.c FROM pur p
       ASOF JOIN s2b b ON b.c = p.c AND b.ts <= p.ts
       ASOF JOIN s1b a ON a.c = b.c AND a.ts <= b.ts
       WHERE p.ts - a.ts <= 604800000),
l4 AS (SELECT DISTINCT q.c FROM (SELECT c, ts FROM pur WHERE n = 2) q
       ASOF JOIN (SELECT c, ts FROM pur WHERE n <> 2) p ON p.c = q.c AND p.ts <= q.ts
       ASOF JOIN s2b b ON b.c = p.c AND b.ts <= p.ts
       ASOF JOIN s1b a ON a.c = b.c AND a.ts <= b.ts
       WHERE q.ts - a.ts <= 604800000)
SELECT concat_ws(',', (SELECT count(DISTINCT c) FROM s1), (SELECT count(*) FROM l2),
                 (SELECT count(*) FROM l3), (SELECT count(*) FROM l4));

-- @figure funnel_checkout
WITH s1 AS (SELECT customer_id AS c, ts FROM events WHERE event = 'product_view'),
s2 AS (SELECT customer_id AS c, ts FROM events WHERE event = 'add_to_cart'),
s3 AS (SELECT customer_id AS c, ts FROM events WHERE event = 'begin_checkout'),
s4 AS (SELECT customer_id AS c, ts FROM events WHERE event = 'purchase'),
l2 AS (SELECT DISTINCT b.c FROM s2 b ASOF JOIN s1 a ON a.c = b.c AND a.ts <= b.ts
       WHERE b.ts - a.ts <= 86400000),
l3 AS (SELECT DISTINCT x.c FROM s3 x
       ASOF JOIN (SELECT * FROM s2 WHERE c IN (SELECT c FROM s3)) b ON b.c = x.c AND b.ts <= x.ts
       ASOF JOIN (SELECT * FROM s1 WHERE c IN (SELECT c FROM s3)) a ON a.c = b.c AND a.ts <= b.ts
       WHERE x.ts - a.ts <= 86400000),
l4 AS (SELECT DISTINCT y.c FROM s4 y
       ASOF JOIN (SELECT * FROM s3 WHERE c IN (SELECT c FROM s4)) x ON x.c = y.c AND x.ts <= y.ts
       ASOF JOIN (SELECT * FROM s2 WHERE c IN (SELECT c FROM s4)) b ON b.c = x.c AND b.ts <= x.ts
       ASOF JOIN (SELECT * FROM s1 WHERE c IN (SELECT c FROM s4)) a ON a.c = b.c AND a.ts <= b.ts
       WHERE y.ts - a.ts <= 86400000)
SELECT concat_ws(',', (SELECT count(DISTINCT c) FROM s1), (SELECT count(*) FROM l2),
                 (SELECT count(*) FROM l3), (SELECT count(*) FROM l4));

-- @figure cohort_month
WITH p AS (
  SELECT DISTINCT customer_id AS c,
         year(t) * 12 + month(t) - 1 AS m
  FROM (SELECT customer_id, timezone('Europe/Helsinki', to_timestamp(ts / 1000)) AS t
        FROM events WHERE event = 'purchase')),
f AS (SELECT c, min(m) AS m0 FROM p GROUP BY c),
cell AS (SELECT f.m0, p.m - f.m0 AS k, count(*) AS n FROM p JOIN f USING (c)
         WHERE p.m - f.m0 BETWEEN 0 AND 11 GROUP BY ALL)
SELECT string_agg(printf('%04d-%02d+%d:%d', m0 // 12, m0 % 12 + 1, k, n), ','
                  ORDER BY m0, k) FROM cell;

-- @figure goals
SELECT concat_ws(',',
         count(DISTINCT customer_id) FILTER (WHERE event = 'newsletter_signup'),
         count(DISTINCT customer_id) FILTER (WHERE event = 'review'),
         count(DISTINCT customer_id) FILTER (WHERE event = 'purchase'),
         count(DISTINCT customer_id) FILTER (WHERE event = 'quote_request')) || ';' ||
       concat_ws(',',
         count(*) FILTER (WHERE event = 'newsletter_signup'),
         count(*) FILTER (WHERE event = 'purchase'),
         count(*) FILTER (WHERE event = 'quote_request'),
         count(*) FILTER (WHERE event = 'review')) || ';' ||
       count(DISTINCT customer_id) || ';' ||
       round(sum(value) FILTER (WHERE event = 'purchase'), 2)
FROM events;

-- @figure search
SELECT count(*)::VARCHAR FROM (
  SELECT key FROM (SELECT key FROM customers
                   WHERE starts_with(lower(email), '@Q@') OR starts_with(lower(name), '@Q@')
                   LIMIT 200)
  ORDER BY key);

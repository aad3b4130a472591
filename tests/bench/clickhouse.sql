-- clickhouse.sql - ClickHouse's side of `make bench`, for the server of
-- Debian's clickhouse-server package (18.16).  bench.sh starts a private
-- server, loads the events and customers (CSV exported from the shop by
-- sqlite3) into Memory tables, and sends each query warm, several times,
-- through clickhouse-client --time.  Each query returns one text value, the
-- answer; "-- @figure NAME" starts a query, @Q@ is the typed text.
--
-- Funnels: windowFunnel(W) over seconds (18.16 takes a DateTime or UInt32
-- time, so milliseconds are cut to seconds; the demo shop's timestamps are
-- whole seconds).  18.16's windowFunnel has no 'strict_once' mode; its
-- default already sorts equal timestamps by step and keeps the latest start
-- per level, which is SPEC 5.1's ordered mode while no event matches two
-- steps.  Purchase (step 3) and the 2nd purchase (step 4) share an event, so
-- levels 1-3 come from a 3-step funnel and level 4 from a funnel whose step 3
-- is "a purchase other than the 2nd".

-- @figure funnel_stages_7d
SELECT concat(toString(countIf(lv >= 1)), ',', toString(countIf(lv >= 2)), ',',
              toString(countIf(lv >= 3)), ',', toString(countIf(lv >= 4)))
FROM (
  SELECT customer_id, if(wf4 = 4, 4, wf3) AS lv
  FROM (
    SELECT customer_id,
      windowFunnel(604800)(t, event = 'page_view',
                           event IN ('product_view', 'newsletter_signup'),
                           event = 'purchase') AS wf3,
      windowFunnel(604800)(t, event = 'page_view',
                           event IN ('product_view', 'newsletter_signup'),
                           event = 'purchase' AND id != p2, id = p2) AS wf4
    FROM (
      SELECT customer_id, toUInt32(intDiv(ts, 1000)) AS t, event, id FROM events
      WHERE event IN ('page_view', 'product_view', 'newsletter_signup', 'purchase'))
    ANY LEFT JOIN (
      -- each customer's 2nd purchase, by time and then import order
      SELECT customer_id, tupleElement(arraySort(groupArray((ts, id)))[2], 2) AS p2
      FROM events WHERE event = 'purchase'
      GROUP BY customer_id HAVING count() >= 2) USING customer_id
    GROUP BY customer_id));

-- @figure funnel_checkout
SELECT concat(toString(countIf(lv >= 1)), ',', toString(countIf(lv >= 2)), ',',
              toString(countIf(lv >= 3)), ',', toString(countIf(lv >= 4)))
FROM (
  SELECT customer_id,
    windowFunnel(86400)(toUInt32(intDiv(ts, 1000)), event = 'product_view',
                        event = 'add_to_cart', event = 'begin_checkout',
                        event = 'purchase') AS lv
  FROM events
  WHERE event IN ('product_view', 'add_to_cart', 'begin_checkout', 'purchase')
  GROUP BY customer_id);

-- Cohorts: retention(month = m0, month = m0 + 1, ...) per customer, summed
-- per cohort with sumForEach; months local to Europe/Helsinki.
-- @figure cohort_month
SELECT arrayStringConcat(groupArray(cell), ',')
FROM (
  SELECT concat(substring(toString(d0), 1, 7), '+', toString(k - 1), ':', toString(n)) AS cell
  FROM (
    SELECT d0, sumForEach(r) AS cnt
    FROM (
      SELECT customer_id, any(d0) AS d0,
        retention(m = m0, m = m0 + 1, m = m0 + 2, m = m0 + 3, m = m0 + 4, m = m0 + 5,
                  m = m0 + 6, m = m0 + 7, m = m0 + 8, m = m0 + 9, m = m0 + 10,
                  m = m0 + 11) AS r
      FROM (
        SELECT customer_id, toRelativeMonthNum(toDateTime(intDiv(ts, 1000), 'Europe/Helsinki')) AS m
        FROM events WHERE event = 'purchase')
      ANY INNER JOIN (
        SELECT customer_id,
          min(toRelativeMonthNum(toDateTime(intDiv(ts, 1000), 'Europe/Helsinki'))) AS m0,
          min(toStartOfMonth(toDateTime(intDiv(ts, 1000), 'Europe/Helsinki'))) AS d0
        FROM events WHERE event = 'purchase' GROUP BY customer_id) USING customer_id
      GROUP BY customer_id)
    GROUP BY d0)
  ARRAY JOIN cnt AS n, arrayEnumerate(cnt) AS k
  WHERE n > 0
  ORDER BY d0, k);

-- @figure goals
SELECT concat(toString(uniqExactIf(customer_id, event = 'newsletter_signup')), ',',
              toString(uniqExactIf(customer_id, event = 'review')), ',',
              toString(uniqExactIf(customer_id, event = 'purchase')), ',',
              toString(uniqExactIf(customer_id, event = 'quote_request')), ';',
              toString(countIf(event = 'newsletter_signup')), ',',
              toString(countIf(event = 'purchase')), ',',
              toString(countIf(event = 'quote_request')), ',',
              toString(countIf(event = 'review')), ';',
              toString(uniqExact(customer_id)), ';',
              toString(round(sumIf(value, event = 'purchase'), 2)))
FROM events;

-- @figure search
SELECT toString(count()) FROM (
  SELECT key FROM (SELECT key FROM customers
                   WHERE startsWith(lower(email), '@Q@') OR startsWith(lower(name), '@Q@')
                   LIMIT 200)
  ORDER BY key);

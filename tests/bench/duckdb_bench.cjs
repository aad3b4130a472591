// duckdb_bench.cjs - runs duckdb.sql inside one DuckDB process for `make bench`.
//
//   NODE_PATH=DIR/node_modules node duckdb_bench.cjs EVENTS.csv CUSTOMERS.csv SQL REPEATS
//
// Loads both CSV files (written by sqlite3 from the shop, NULL as \N) into an
// in-memory database, then runs every query of SQL once to warm up and
// REPEATS times more, and prints "figure<TAB>median ms<TAB>answer" lines like
// ct_bench.  The search runs once per keystroke of "anna.s"; its line gives
// the slowest keystroke's median.  @duckdb/node-api comes from npm
// (bench.sh installs it into the bench directory).
'use strict';

const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');

const [eventsCsv, customersCsv, sqlFile, repeatsArg] = process.argv.slice(2);
const repeats = Math.max(1, parseInt(repeatsArg || '7', 10));
const typed = ['a', 'an', 'ann', 'anna', 'anna.', 'anna.s'];

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function figures(text) {
  const out = [];
  let cur = null;
  for (const line of text.split('\n')) {
    const m = /^-- @figure (\S+)/.exec(line);
    if (m) {
      cur = { name: m[1], sql: '' };
      out.push(cur);
    } else if (cur && !/^\s*--/.test(line)) {
      cur.sql += line + '\n';
    }
  }
  return out;
}

async function main() {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const one = async (sql) => {
    const r = await con.runAndReadAll(sql);
    const rows = r.getRows();
    return rows.length ? String(rows[0][0]) : '';
  };
  const esc = (p) => p.replace(/'/g, "''");
  let t = performance.now();
  await con.run(
    `CREATE TABLE events AS SELECT * FROM read_csv('${esc(eventsCsv)}', header = true,` +
      ` nullstr = '\\N', columns = {'id': 'BIGINT', 'customer_id': 'BIGINT', 'ts': 'BIGINT',` +
      ` 'event': 'VARCHAR', 'value': 'DOUBLE'})`);
  await con.run(
    `CREATE TABLE customers AS SELECT * FROM read_csv('${esc(customersCsv)}', header = true,` +
      ` nullstr = '\\N', columns = {'id': 'BIGINT', 'key': 'VARCHAR', 'email': 'VARCHAR',` +
      ` 'name': 'VARCHAR'})`);
  const loadMs = performance.now() - t;
  const n = await one('SELECT count(*) FROM events');
  console.log(`load\t${loadMs.toFixed(1)}\t${n} events (version ${await one('SELECT version()')},` +
              ` ${await one("SELECT current_setting('threads')")} threads)`);
  for (const f of figures(fs.readFileSync(sqlFile, 'utf8'))) {
    if (f.name === 'search') {
      let worst = 0, answer = '';
      for (const q of typed) {
        const sql = f.sql.replaceAll('@Q@', q.replace(/'/g, "''"));
        await one(sql);
        const times = [];
        for (let r = 0; r < repeats; r++) {
          t = performance.now();
          answer = await one(sql);
          times.push(performance.now() - t);
        }
        worst = Math.max(worst, median(times));
      }
      console.log(`search_keystroke_worst\t${worst.toFixed(3)}\t${answer} matches for 'anna.s'`);
      continue;
    }
    let answer = await one(f.sql);
    const times = [];
    for (let r = 0; r < repeats; r++) {
      t = performance.now();
      answer = await one(f.sql);
      times.push(performance.now() - t);
    }
    console.log(`${f.name}\t${median(times).toFixed(2)}\t${answer}`);
  }
  const mem = await one('SELECT sum(memory_usage_bytes) FROM duckdb_memory()');
  console.log(`memory\t-\tbytes=${mem}`);
}

main().catch((e) => {
  console.error(`duckdb_bench: ${e.message}`);
  process.exit(1);
});

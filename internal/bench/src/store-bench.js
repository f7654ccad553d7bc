// The message store's benchmarks: ingest from a separate publishing process into `herald store`
// (SQLite and PostgreSQL), and query latency of `/herald/search` over a million stored messages.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { catalogue } from "@herald/schemas";
import { openPostgresStore, openSqliteStore } from "@herald/store";
import pg from "pg";
import { floodPublisherScript } from "./flood-publisher-path.js";
import { median } from "./measure.js";
import { freeAddress, heraldBin, runProcess, startProcess } from "./processes.js";

/** The PostgreSQL of this machine (trust auth, database `test`), or HERALD_BENCH_POSTGRES. */
const postgresUrl = process.env.HERALD_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

/** A schema of its own for one run, dropped afterwards. */
function postgresSchema() {
  const name = `herald_bench_${randomBytes(5).toString("hex")}`;
  return {
    name,
    url: `${postgresUrl}?schema=${name}`,
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await client.end();
    },
  };
}

const freePort = async () => Number((await freeAddress()).split(":").at(-1));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function countOf(api) {
  const response = await fetch(`${api}/herald/count`);
  return (await response.json()).total;
}

/**
 * One ingest run: `herald store` subscribed, a separate process publishing `count` signed
 * messages; the rate is counted from the first message sent to the last one stored.
 */
async function ingestRun(db, count, keyFile, trustFile) {
  const port = await freePort();
  const address = await freeAddress();
  const api = `http://127.0.0.1:${port}`;
  const store = startProcess(heraldBin, [
    "store",
    "--db",
    db,
    "--connect",
    address,
    "--http",
    String(port),
    "--trust",
    trustFile,
  ]);
  await store.waitFor(/ready/);
  const publisher = runProcess(floodPublisherScript, [
    "--bind",
    address,
    "--count",
    String(count),
    "--key",
    keyFile,
    "--keyid",
    "git.bench01",
    "--wait-ms",
    "1500",
  ]);
  // The publisher signs everything before it starts sending: wait for the first message, then
  // until all are stored or none has come for 5 s.
  let stored = 0;
  let last = Date.now() + 60_000;
  for (;;) {
    await sleep(20);
    const now = await countOf(api);
    if (now !== stored) last = Date.now();
    stored = now;
    if (stored >= count || Date.now() - last > 5000) break;
  }
  const { started } = JSON.parse((await publisher).stdout);
  store.child.kill("SIGTERM");
  await store.exited;
  return { rate: stored / ((last - started) / 1000), lost: count - stored };
}

/** Messages as a busy bus makes them: every topic of the catalogue, 2,000 users, 5,000 packages, 30 days. */
function* syntheticMessages(total, from) {
  const spacing = (30 * 86_400_000) / total;
  for (let n = 0; n < total; n++) {
    const topic = catalogue[n % catalogue.length];
    const time = Math.round(from + n * spacing);
    const id = `0190${n.toString(16).padStart(12, "0")}-bench`;
    const user = `user${(n * 7919) % 2000}`;
    const pkg = `package${(n * 104_729) % 5000}`;
    const raw = JSON.stringify({
      specversion: "1.0",
      id,
      source: `/${topic.app}/host${n % 20}`,
      type: `org.example.prod.${topic.name}`,
      time: new Date(time).toISOString(),
      datacontenttype: "application/json",
      data: { user, package: pkg, n },
    });
    yield {
      id,
      time,
      topic: `org.example.prod.${topic.name}`,
      category: topic.app,
      source: `/${topic.app}/host${n % 20}`,
      keyid: null,
      outcome: "unsigned",
      raw,
      usernames: [user],
      packages: [pkg],
    };
  }
}

async function fill(store, total, from) {
  let batch = [];
  for (const message of syntheticMessages(total, from)) {
    batch.push(message);
    if (batch.length === 5000) {
      await store.ingest(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.ingest(batch);
}

/** Median latency of each query against a `herald store` process serving `db`. */
async function queryLatencies(db, from, record, label, runs) {
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const store = startProcess(heraldBin, [
    "store",
    "--db",
    db,
    "--insecure",
    "--connect",
    await freeAddress(),
    "--http",
    String(port),
  ]);
  await store.waitFor(/ready/);
  const day = 86_400;
  const queries = {
    "by topic": "topic=org.example.prod.git.receive",
    "by user": "user=user42",
    "by time range (one day)": `start=${from / 1000 + 10 * day}&end=${from / 1000 + 11 * day}`,
    "page 1,000 (100 rows a page)": "page=1000&rows_per_page=100",
  };
  for (const [name, query] of Object.entries(queries)) {
    const times = [];
    for (let run = 0; run < runs + 3; run++) {
      const started = performance.now();
      const response = await fetch(`${api}/herald/search?${query}`);
      const body = await response.json();
      if (!response.ok || body.count === 0) throw new Error(`bench: ${query}: ${JSON.stringify(body).slice(0, 200)}`);
      if (run >= 3) times.push(performance.now() - started);
    }
    record(`/herald/search ${name}, ${label}`, median(times), "ms", `median of ${runs}`);
  }
  store.child.kill("SIGTERM");
  await store.exited;
}

/**
 * The store's section of `npm run bench`. `record(name, value, unit, note)` prints a row.
 * @param {{ record: Function, want: (section: string) => boolean, runs: number, scale: number, dir: string, keyFile: string, trustFile: string }} context
 */
export async function benchStore({ record, want, runs, scale, dir, keyFile, trustFile }) {
  if (want("store-ingest")) {
    const count = Math.round(50_000 * scale);
    for (const backend of ["SQLite", "PostgreSQL"]) {
      const outcomes = [];
      for (let run = 0; run < runs; run++) {
        const schema = backend === "PostgreSQL" ? postgresSchema() : undefined;
        const db = schema?.url ?? `sqlite:${join(dir, `ingest-${run}.sqlite`)}`;
        outcomes.push(await ingestRun(db, count, keyFile, trustFile));
        await schema?.drop();
      }
      const lost = outcomes.reduce((sum, outcome) => sum + outcome.lost, 0);
      record(
        `herald store ingest, signed, from another process (${backend})`,
        median(outcomes.map((outcome) => outcome.rate)),
        "msg/s",
        `${count.toLocaleString("en")} a run; ${lost ? `${lost} lost` : "none lost"}`,
      );
    }
  }
  if (want("store-query")) {
    const total = Math.round(1_000_000 * scale);
    const from = Date.parse("2026-10-01T00:00:00Z");
    const label = `${total.toLocaleString("en")} stored`;
    const file = join(dir, "query.sqlite");
    const sqlite = openSqliteStore(file);
    const filling = performance.now();
    await fill(sqlite, total, from);
    await sqlite.close();
    process.stderr.write(`  (filled SQLite with ${total} messages in ${Math.round(performance.now() - filling)} ms)\n`);
    await queryLatencies(`sqlite:${file}`, from, record, `SQLite, ${label}`, Math.max(runs * 10, 10));
    const schema = postgresSchema();
    const postgres = await openPostgresStore(schema.url);
    const fillingPg = performance.now();
    await fill(postgres, total, from);
    await postgres.close();
    // What autovacuum does to a live database soon after a bulk load: statistics and the
    // visibility map (without it, index-only scans read the table too).
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(
      `VACUUM ANALYZE ${schema.name}.messages, ${schema.name}.message_users, ${schema.name}.message_packages`,
    );
    await client.end();
    process.stderr.write(
      `  (filled PostgreSQL with ${total} messages in ${Math.round(performance.now() - fillingPg)} ms)\n`,
    );
    try {
      await queryLatencies(schema.url, from, record, `PostgreSQL, ${label}`, Math.max(runs * 10, 10));
    } finally {
      await schema.drop();
    }
  }
}

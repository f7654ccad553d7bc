import { catalogue } from "@herald/schemas";
import {
  createEnvelope,
  type Envelope,
  envelopeFromFedmsg,
  envelopeFromFedoraMessaging,
  type ReceivedMessage,
} from "@herald/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type QueryApi, startQueryApi } from "../http-api.js";
import type { MessageStore } from "../message-store.js";
import { openSqliteStore } from "../sqlite/sqlite-store.js";
import { toStoredMessage } from "../stored-message.js";

// The expected answers below are read from datagrepper 1.1 (fedora-infra/datagrepper,
// datagrepper/app.py and datagrepper/util.py) and datanommer.models 1.x
// (fedora-infra/datanommer, datanommer.models/datanommer/models/__init__.py); the comment beside
// each names the function and line it comes from.

const store: MessageStore = openSqliteStore(":memory:");
let api: QueryApi;
let base = "";
const now = Date.now();
// Whole seconds plus 250 ms: datagrepper's timestamps drop the fraction.
const t0 = Math.floor(now / 1000) * 1000 - 3 * 3_600_000 + 250;

const gitReceive = catalogue.find((entry) => entry.name === "git.receive")!;
const native = createEnvelope({
  topic: "org.example.prod.git.receive",
  data: gitReceive.examples[0] as never,
  dataschema: "herald:git.receive/1.0",
  time: new Date(t0),
});
const fedmsgUuid = "3c1e8a52-7d6b-4f0e-9a41-0b2d5f6c7e81";
const fromFedmsg = envelopeFromFedmsg(
  {
    topic: "org.fedoraproject.prod.fas.user.update",
    msg: { user: { username: "carol" }, fields: ["ircnick"] },
    timestamp: (t0 + 60_000) / 1000,
    msg_id: `2026-${fedmsgUuid}`,
    i: 4,
    username: "fas",
    agent: "carol",
  },
  "/fedmsg-bridge.legacy/bridge01",
);
const fromFedoraMessaging = envelopeFromFedoraMessaging(
  {
    routingKey: "org.fedoraproject.prod.koji.build.fail",
    body: { task_id: "9223372036854775809", owner: "dave" },
    messageId: "koji-task-9223372036854775809",
    priority: 5,
    headers: {
      fedora_messaging_schema: "koji.build.fail",
      "sent-at": new Date(t0 + 120_000).toISOString().replace(/\.\d+Z$/, ""),
      fedora_messaging_severity: 40,
      fedora_messaging_user_dave: true,
      fedora_messaging_rpm_kernel: true,
    },
  },
  "/fedora-messaging-bridge.fm/bridge01",
);

const stored = (envelope: Envelope) => {
  const message: ReceivedMessage = {
    topic: envelope.type,
    envelope,
    raw: Buffer.from(JSON.stringify(envelope)),
    outcome: "unsigned",
    schema: "valid",
  };
  return toStoredMessage(message);
};

beforeAll(async () => {
  await store.ingest([native, fromFedmsg, fromFedoraMessaging].map(stored));
  api = await startQueryApi(store, { port: 0 });
  base = `http://127.0.0.1:${api.port}`;
});
afterAll(async () => {
  await api.close();
  await store.close();
});

const get = async (path: string) => {
  const response = await fetch(`${base}${path}`);
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), text };
};
const json = async (path: string) => {
  const { status, text } = await get(path);
  return { status, body: JSON.parse(text) as Record<string, unknown> };
};

/** The headers the fedora-messaging bridge publishes for `native` (docs/bridges.md), which datanommer stores. */
const nativeHeaders = {
  fedora_messaging_schema: "herald:git.receive/1.0",
  "sent-at": new Date(t0).toISOString().replace(/\.\d+Z$/, "+00:00"),
  fedora_messaging_severity: 20,
  fedora_messaging_user_alice: true,
  fedora_messaging_rpm_herald: true,
};

describe("datagrepper's paths on a Herald store", () => {
  it("/raw answers Message.as_dict() items, datagrepper's arguments in seconds, total, pages and count", async () => {
    const start = (t0 - 1000) / 1000;
    const end = (t0 + 600_000) / 1000;
    // fedmsg's consumers/__init__.py get_datagrepper_results: rows_per_page=100, page, start, end, order=asc.
    const { status, text, type } = await get(`/raw?rows_per_page=100&page=1&start=${start}&end=${end}&order=asc`);
    expect([status, type]).toEqual([200, "application/json"]);
    const body = JSON.parse(text) as { raw_messages: Record<string, unknown>[]; arguments: unknown };
    // app.py raw(): dict(raw_messages, total, pages, count, arguments), arguments as built there.
    expect(Object.keys(body)).toEqual(["raw_messages", "total", "pages", "count", "arguments"]);
    expect(body).toMatchObject({ total: 3, pages: 1, count: 3 });
    expect(body.arguments).toEqual({
      start,
      delta: end - start,
      end,
      users: [],
      packages: [],
      categories: [],
      topics: [],
      agents: [],
      contains: [],
      not_users: [],
      not_packages: [],
      not_categories: [],
      not_topics: [],
      not_agents: [],
      page: 1,
      rows_per_page: 100,
      order: "asc",
      meta: [],
    });
    // models __init__.py as_dict(): these keys, in this order.
    const [first, second, third] = body.raw_messages;
    expect(first).toEqual({
      i: 0, // datanommer add(): i=0
      msg_id: native.id,
      topic: "org.example.prod.git.receive",
      // util.py DateAwareJSONEncoder: time.mktime(timetuple()), whole seconds as a float
      timestamp: Math.floor(t0 / 1000),
      certificate: null,
      signature: null,
      agent_name: "alice",
      username: "alice", // "DEPRECATED": the agent again
      crypto: null,
      msg: native.data,
      headers: nativeHeaders,
      source_name: "herald",
      source_version: expect.any(String),
      users: ["alice"],
      packages: ["herald"],
    });
    expect(Object.keys(first!)).toEqual([
      "i",
      "msg_id",
      "topic",
      "timestamp",
      "certificate",
      "signature",
      "agent_name",
      "username",
      "crypto",
      "msg",
      "headers",
      "source_name",
      "source_version",
      "users",
      "packages",
    ]);
    // Python writes the float with its .0, and fedmsg's fix_datagrepper_message relies on it.
    expect(text).toContain(`"timestamp":${Math.floor(t0 / 1000)}.0,`);
    expect(second).toMatchObject({
      msg_id: `2026-${fedmsgUuid}`,
      topic: "org.fedoraproject.prod.fas.user.update",
      agent_name: "carol",
      msg: { user: { username: "carol" }, fields: ["ircnick"] },
    });
    expect(third).toMatchObject({
      msg_id: "koji-task-9223372036854775809",
      users: ["dave"],
      packages: ["kernel"],
      msg: { task_id: "9223372036854775809", owner: "dave" },
    });
  });

  it("/v2/search answers Message.as_fedora_message_dict() items", async () => {
    const { status, body } = await json("/v2/search?order=asc&rows_per_page=2&page=2");
    expect(status).toBe(200);
    // grep(): pages = ceil(total / rows_per_page), the page's rows from offset rows_per_page * (page - 1)
    expect(body).toMatchObject({ total: 3, pages: 2, count: 1 });
    const [item] = body.raw_messages as Record<string, unknown>[];
    // as_fedora_message_dict(): body, headers, id, priority = headers.get("priority", 0), queue None, topic
    expect(item).toEqual({
      body: { task_id: "9223372036854775809", owner: "dave" },
      headers: {
        fedora_messaging_schema: "koji.build.fail",
        "sent-at": new Date(t0 + 120_000).toISOString().replace(/\.\d+Z$/, ""),
        fedora_messaging_severity: 40,
        fedora_messaging_user_dave: true,
        fedora_messaging_rpm_kernel: true,
        priority: 5,
      },
      id: "koji-task-9223372036854775809",
      priority: 5,
      queue: null,
      topic: "org.fedoraproject.prod.koji.build.fail",
    });
    expect(Object.keys(item!)).toEqual(["body", "headers", "id", "priority", "queue", "topic"]);
  });

  it("filters as datanommer's make_query: users, packages, categories, topics, agents, and their not_ forms", async () => {
    const ids = async (query: string) =>
      ((await json(`/raw?order=asc&${query}`)).body.raw_messages as { msg_id: string }[]).map((item) => item.msg_id);
    expect(await ids("agent=carol")).toEqual([`2026-${fedmsgUuid}`]);
    expect(await ids("not_agent=carol")).toEqual([native.id, "koji-task-9223372036854775809"]);
    expect(await ids("user=dave&user=alice")).toEqual([native.id, "koji-task-9223372036854775809"]);
    expect(await ids("package=kernel")).toEqual(["koji-task-9223372036854775809"]);
    expect(await ids("category=fas")).toEqual([`2026-${fedmsgUuid}`]);
    expect(await ids("not_category=fas&not_category=koji")).toEqual([native.id]);
    expect(await ids("topic=org.fedoraproject.prod.koji.build.fail")).toEqual(["koji-task-9223372036854775809"]);
    // between(timestamp, start, end): both ends included.
    expect(await ids(`start=${Math.floor(t0 / 1000) + 60}&end=${Math.floor(t0 / 1000) + 60}`)).toEqual([]);
    expect(await ids(`start=${(t0 + 60_000) / 1000}&end=${(t0 + 60_000) / 1000}`)).toEqual([`2026-${fedmsgUuid}`]);
    // Unknown parameters are ignored (Flask reads only the ones it asks for).
    expect(await ids("not_a_parameter=1&category=fas")).toEqual([`2026-${fedmsgUuid}`]);
  });

  it("assembles the time range as assemble_timerange does, in seconds", async () => {
    const args = async (query: string) => (await json(`/raw?${query}`)).body.arguments as Record<string, unknown>;
    // util.py assemble_timerange: (start, delta) → end = start + delta
    expect(await args("start=1000&delta=500")).toMatchObject({ start: 1000, end: 1500, delta: 500 });
    // (end, delta) → start = end - delta
    expect(await args("end=2000&delta=500")).toMatchObject({ start: 1500, end: 2000, delta: 500 });
    // (start, end, delta) → delta overridden by end - start
    expect(await args("start=1000&end=4000&delta=7")).toMatchObject({ start: 1000, end: 4000, delta: 3000 });
    // nothing, with DEFAULT_QUERY_DELTA = 0 → no range
    expect(await args("")).toMatchObject({ start: null, end: null, delta: null });
    // a date without an offset is UTC (datetime_to_timestamp)
    expect(await args("start=2026-11-27T12:00:00&end=2026-11-27T13:00:00")).toMatchObject({
      start: Date.parse("2026-11-27T12:00:00Z") / 1000,
      delta: 3600,
    });
  });

  it("/id and /v2/id find a message by Herald id, fedmsg msg_id or foreign message-id", async () => {
    // fedmsg's commands/replay.py: GET /id?id=…, reads msg["topic"] and msg["msg"].
    const byFedmsgId = await json(`/id?id=2026-${fedmsgUuid}`);
    expect(byFedmsgId.status).toBe(200);
    expect(byFedmsgId.body).toMatchObject({
      msg_id: `2026-${fedmsgUuid}`,
      topic: "org.fedoraproject.prod.fas.user.update",
      msg: { user: { username: "carol" }, fields: ["ircnick"] },
    });
    // fedora-messaging cli.py _get_message: GET /v2/id?id=…&is_raw=true
    const byForeignId = await json("/v2/id?id=koji-task-9223372036854775809&is_raw=true");
    expect(byForeignId.body).toMatchObject({ id: "koji-task-9223372036854775809", priority: 5, queue: null });
    const byHeraldId = await json(`/v2/id/?id=${native.id}`);
    expect(byHeraldId.body).toEqual({
      body: native.data,
      headers: nativeHeaders,
      id: native.id,
      priority: 0,
      queue: null,
      topic: native.type,
    });
    // app.py not_found(): {"error": "not_found"} with 404
    expect(await json("/v2/id?id=2026-00000000-0000-4000-8000-000000000000")).toEqual({
      status: 404,
      body: { error: "not_found" },
    });
    // msg_id(): flask.abort(400) without id
    expect((await get("/id")).status).toBe(400);
  });

  it("adds meta as meta_argument does, with a WARNING for fedmsg's names", async () => {
    const { body } = await json(
      `/id?id=${native.id}&meta=summary&meta=subtitle&meta=usernames&meta=packages&meta=date`,
    );
    expect(body.meta).toEqual({
      summary: "alice pushed to herald (main): Fix the relay’s reconnect loop",
      subtitle: "alice pushed to herald (main): Fix the relay’s reconnect loop",
      WARNING: ["Meta subtitle is deprecated and has been replaced by summary"],
      usernames: ["alice"],
      packages: ["herald"],
      // arrow's humanize() of a time three hours back
      date: "3 hours ago",
    });
    expect((await get("/id?id=x&meta=colour")).status).toBe(400);
  });

  it("answers JSONP to a callback, and refuses a callback that is not a function name", async () => {
    const answer = await get("/raw?rows_per_page=1&callback=window.show_1");
    expect(answer.type).toBe("application/javascript");
    expect(answer.text).toMatch(/^window\.show_1\(\{"raw_messages":\[.*\}\);$/s);
    const refused = await json(`/raw?callback=${encodeURIComponent("alert(document.cookie)//")}`);
    expect(refused.status).toBe(400);
    expect(String(refused.body.error)).toMatch(/^callback: /);
  });

  it("rows_per_page=0 answers every match on one page, as grep() does", async () => {
    const { body } = await json("/raw?rows_per_page=0");
    expect(body).toMatchObject({ total: 3, pages: 1, count: 3 });
    expect((body.arguments as { rows_per_page: number }).rows_per_page).toBe(0);
  });

  it("refuses what datagrepper refuses, with its messages", async () => {
    const refusal = async (query: string) => {
      const { status, body } = await json(`/raw?${query}`);
      return [status, body.error];
    };
    expect(await refusal("page=0")).toEqual([400, "page must be > 0"]);
    expect(await refusal("rows_per_page=101")).toEqual([400, "rows_per_page must be <= 100"]);
    expect(await refusal("order=sideways")).toEqual([400, "order must be either 'desc' or 'asc'"]);
    expect(await refusal("size=huge")).toEqual([
      400,
      `size must be in one of these: ["small","medium","large","extra-large"]`,
    ]);
    expect(await refusal("chrome=maybe")).toEqual([400, "chrome should be either 'true' or 'false'"]);
    expect(await refusal("contains=kernel")).toEqual([
      400,
      "When using contains, specify a start at most eight months into the past",
    ]);
    expect(await refusal(`contains=kernel&start=${Math.floor(now / 1000) - 86_400}`)).toEqual([
      400,
      "When using contains, specify either a topic or a category as well",
    ]);
    // Accepted as datagrepper accepts them: the HTML view's size and chrome.
    expect((await json("/raw?size=small&chrome=false")).status).toBe(200);
  });

  it("/messagecount counts every message", async () => {
    // app.py messagecount(): {"messagecount": count_all_messages()}
    expect(await json("/messagecount")).toEqual({ status: 200, body: { messagecount: 3 } });
    expect(await json("/messagecount/")).toEqual({ status: 200, body: { messagecount: 3 } });
  });
});

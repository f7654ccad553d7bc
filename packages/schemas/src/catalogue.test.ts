import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { diffSchemas, generateTypes } from "@herald/codegen";
import { isValidTopic } from "@herald/sdk";
import { loadVectors } from "@herald/test-support";
import { describe, expect, it } from "vitest";
import { catalogue } from "./catalogue.js";
import { emitSchemaFiles } from "./emit.js";
import { compilePresentation, presentData } from "./presentation/present-data.js";
import { present } from "./presentation.js";
import { catalogueEntries, createSchemaRegistry, loadSchemaDirectory } from "./schema-registry.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const registry = createSchemaRegistry();

const required = [
  "git.receive",
  "git.branch.create",
  "git.branch.delete",
  "git.tag.create",
  "git.push.complete",
  "buildsys.build.start",
  "buildsys.build.complete",
  "buildsys.task.state.change",
  "wiki.article.edit",
  "wiki.page.delete",
  "wiki.upload.complete",
  "mirror.master.out_of_sync",
  "mirror.master.in_sync",
  "mirror.tier1.sync.start",
  "mirror.tier1.sync.complete",
  "account.user.create",
  "account.group.member.add",
  "logger.log",
  // Bugzilla's events, as the stomp and amqp10 bridges bring them from Red Hat's message bus.
  "bugzilla.bug.create",
  "bugzilla.bug.modify",
  "bugzilla.comment.create",
];

describe("the topic catalogue", () => {
  it("holds every starter topic and the Bugzilla example", () => {
    expect(new Set(catalogue.map((topic) => topic.name))).toEqual(new Set(required));
  });

  it.each(catalogue.map((topic) => [`${topic.name} ${topic.version}`, topic] as const))(
    "%s: names follow the protocol, examples validate and summarize",
    (_label, topic) => {
      expect(isValidTopic(`org.example.prod.${topic.name}`)).toBe(true);
      expect(topic.name.split(".").length).toBeGreaterThanOrEqual(2);
      expect(topic.examples.length).toBeGreaterThan(0);
      const schema = registry.latest(topic.name);
      for (const example of topic.examples) {
        expect(schema?.check(example)).toEqual({ ok: true });
        // Its presentation document presents the example without falling back to raw JSON.
        const compiled = compilePresentation(topic.presentation);
        const shown = presentData(compiled, example);
        expect(shown.summary.length).toBeGreaterThan(5);
        expect(shown.summary.startsWith("{")).toBe(false);
      }
    },
  );

  it("accepts the data of every valid message of the protocol vectors under its dataschema", () => {
    const vectors = loadVectors();
    const valid = vectors.verification.filter((vector) => vector.expect === "valid");
    for (const vector of valid) {
      const envelope = vector.envelope as { dataschema: string; data: unknown };
      const lookup = registry.lookup(envelope.dataschema);
      expect(lookup.status).toBe("found");
      if (lookup.status === "found") expect(lookup.schema.check(envelope.data)).toEqual({ ok: true });
    }
  });

  it("rejects invalid data with the JSON path and the rule broken", () => {
    const schema = registry.latest("git.receive");
    const example = structuredClone(catalogue.find((topic) => topic.name === "git.receive")?.examples[0]) as {
      commit: Record<string, unknown>;
    };
    example.commit.rev = "not-a-sha";
    const pattern = {
      path: "$.commit.rev",
      rule: "pattern",
      message: 'must match pattern "^[0-9a-f]{40}([0-9a-f]{24})?$"',
    };
    expect(schema?.check(example)).toEqual({ ok: false, ...pattern, problems: [pattern] });
    // Every problem is listed, the first one also on its own.
    delete example.commit.repo;
    const both = schema?.check(example);
    expect(both).toMatchObject({ ok: false, path: "$.commit.repo", rule: "required" });
    expect(both?.ok === false && both.problems?.map((problem) => problem.path)).toEqual([
      "$.commit.repo",
      "$.commit.rev",
    ]);
  });

  it("resolves unknown schemas and versions as such, and a newer minor to the newest known", () => {
    expect(registry.lookup("herald:nope.thing/1.0").status).toBe("unknown-schema");
    expect(registry.lookup("herald:git.receive/9.0").status).toBe("unknown-version");
    expect(registry.lookup("herald:git.receive/1.7")).toMatchObject({
      status: "found",
      schema: { dataschema: "herald:git.receive/1.0" },
    });
    expect(registry.lookup("garbage").status).toBe("unknown-schema");
  });

  it("keeps every minor version compatible with the one before it", () => {
    const entries = catalogueEntries();
    for (const entry of entries) {
      const [major, minor] = entry.version.split(".").map(Number) as [number, number];
      const previous = entries.find((other) => other.name === entry.name && other.version === `${major}.${minor - 1}`);
      if (previous !== undefined)
        expect(diffSchemas(previous.document, entry.document)).toMatchObject({ compatible: true });
    }
  });

  it("presents a message through its schema's metadata", () => {
    const example = catalogue.find((topic) => topic.name === "wiki.article.edit")?.examples[0];
    const envelope = { dataschema: "herald:wiki.article.edit/1.0", data: example } as never;
    expect(present(envelope)).toMatchObject({ summary: "bob edited Main Page", usernames: ["bob"], icon: "file-pen" });
  });
});

describe("the committed, generated files", () => {
  it("json/ is what the TypeBox sources emit (run `npm run generate -w @herald/schemas`)", () => {
    const emitted = emitSchemaFiles();
    const committed = readdirSync(join(packageRoot, "json"), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(join(packageRoot, "json").length + 1))
      .sort();
    expect(committed).toEqual(emitted.map((file) => file.path).sort());
    for (const file of emitted) expect(readFileSync(join(packageRoot, "json", file.path), "utf8")).toBe(file.text);
    expect(loadSchemaDirectory(join(packageRoot, "json")).map((entry) => entry.name)).toEqual(
      catalogue.map((topic) => topic.name).sort(),
    );
  });

  it("src/generated/topic-map.generated.ts is what codegen writes from them", async () => {
    const committed = readFileSync(join(packageRoot, "src/generated/topic-map.generated.ts"), "utf8");
    expect(committed).toBe(await generateTypes(catalogueEntries()));
  });
});

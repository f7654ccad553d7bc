import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runInProcess } from "../_test-io.js";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const typebox = join(dirname(require.resolve("@sinclair/typebox")), "..", "..");

/**
 * Schema names drawn from the topic grammar (`[a-z0-9][a-z0-9_-]*` tokens), with the hard cases
 * common: digits inside and first, `_`, `-`, one letter, TypeScript keywords, names that read alike.
 * A fixed seed, so every machine on every day draws the same names; the issue's own cases too.
 */
function drawnNames(): string[] {
  const token = fc.oneof(
    fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,5}$/),
    fc.stringMatching(/^[ab1][ab1_-]{0,2}$/),
    fc.constantFrom("class", "delete", "new", "enum", "type", "default", "a", "s3bucket", "ipv6addr", "h264"),
  );
  const name = fc.array(token, { minLength: 2, maxLength: 4 }).map((tokens) => tokens.join("."));
  const drawn = fc.sample(fc.uniqueArray(name, { minLength: 30, maxLength: 30 }), { seed: 7, numRuns: 1 })[0] ?? [];
  return [
    ...new Set([
      "zz01df.thing.made",
      "zz.01df.thing.made",
      "s3bucket.object.put",
      "s3.bucket.object.put",
      "a_b.c.d",
      "a.b_c.d",
      "a-b.c.d",
      "a1b.c.d",
      "a1.bc.d",
      "3d.model.make",
      ...drawn,
    ]),
  ];
}

/** tsc --strict over the files; its error lines, empty when they compile. */
function strictErrors(files: string[]): string {
  try {
    execFileSync(
      process.execPath,
      [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", ...files],
      {
        encoding: "utf8",
      },
    );
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout);
  }
}

describe("generated type names, from herald codegen and from a schema package's build", () => {
  it("compile under tsc --strict for any topic names, two majors each, no two topics sharing a type", async () => {
    const names = drawnNames();
    const work = mkdtempSync(join(tmpdir(), "herald-codegen-names-"));

    // herald codegen over a folder of JSON Schema files, as the issue reproduced it.
    const schemas = join(work, "schemas");
    // Each topic's major has a field of its own: two sharing a type would merge into one that
    // wants both fields, and the uses below would not compile.
    const field = (index: number, major: number) => `t${index}v${major}`;
    for (const [index, name] of names.entries())
      for (const major of [1, 2]) {
        mkdirSync(join(schemas, name), { recursive: true });
        writeFileSync(
          join(schemas, name, `${major}.0.json`),
          JSON.stringify({
            type: "object",
            properties: { [field(index, major)]: { type: "integer" } },
            required: [field(index, major)],
          }),
        );
      }
    const generated = join(work, "gen.ts");
    const codegen = await runInProcess(["codegen", "--schemas", schemas, "--out", generated], { cwd: work });
    expect([codegen.code, codegen.stderr]).toEqual([0, ""]);

    // A schema package from herald schema init, its TypeBox sources for the same names, its own build.
    expect((await runInProcess(["schema", "init", "shop"], { cwd: work })).code).toBe(0);
    const pkg = join(work, "shop-schemas");
    mkdirSync(join(pkg, "node_modules", "@sinclair"), { recursive: true });
    symlinkSync(typebox, join(pkg, "node_modules", "@sinclair", "typebox"));
    for (const [index, name] of names.entries())
      for (const major of [1, 2]) {
        mkdirSync(join(pkg, "src", name), { recursive: true });
        writeFileSync(
          join(pkg, "src", name, `${major}.0.js`),
          `import { Type } from "@sinclair/typebox";\nexport default Type.Object({ ${field(index, major)}: Type.Integer() }, { examples: [{ ${field(index, major)}: 1 }] });\n`,
        );
      }
    execFileSync(process.execPath, ["scripts/build-json.js"], { cwd: pkg });
    const built = await runInProcess(["codegen", "--schemas", "json", "--out", "types/index.d.ts"], { cwd: pkg });
    expect([built.code, built.stderr]).toEqual([0, ""]);

    // Each file uses every entry of its TopicMap: a name it does not declare is a compile error;
    // and each topic's major keeps its own type (v1 is not v2), so no two share one.
    const usage = (from: string, file: string) => {
      writeFileSync(
        file,
        [
          `import type { TopicMap } from "${from}";`,
          ...names.flatMap((name, index) => [
            `export const one${index}: TopicMap[${JSON.stringify(`${name}@1`)}] = { ${field(index, 1)}: 1 };`,
            `export const two${index}: TopicMap[${JSON.stringify(`${name}@2`)}] = { ${field(index, 2)}: 2 };`,
            `export const newest${index}: TopicMap[${JSON.stringify(name)}] = { ${field(index, 2)}: 3 };`,
          ]),
          "",
        ].join("\n"),
      );
      return file;
    };
    const errors = strictErrors([
      generated,
      usage("./gen.js", join(work, "use-gen.ts")),
      usage("./shop-schemas/types/index.js", join(work, "use-package.ts")),
    ]);
    expect(errors).toBe("");
  }, 180_000);
});

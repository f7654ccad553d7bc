// Part of `npm run build`: writes the JSON Schema files (json/<name>/<major>.<minor>.json and
// json/index.json) from the compiled TypeBox sources. They are committed; CI rebuilds and fails
// when git then sees a difference (`herald schema check --against HEAD`).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { emitSchemaFiles } from "../dist/index.js";

const jsonDir = fileURLToPath(new URL("../json", import.meta.url));
rmSync(jsonDir, { recursive: true, force: true });
const files = emitSchemaFiles();
for (const file of files) {
  mkdirSync(dirname(join(jsonDir, file.path)), { recursive: true });
  writeFileSync(join(jsonDir, file.path), file.text);
}
process.stderr.write(`emitted ${files.length} JSON Schema files to json/\n`);

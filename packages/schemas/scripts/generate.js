// `npm run generate -w @herald/schemas`: writes the emitted JSON Schemas (json/) and the generated
// types (src/generated/topic-map.generated.ts) from the TypeBox sources. Both are committed; the
// package's tests regenerate them in memory and fail when the committed files are stale.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateTypes } from "@herald/codegen";
import { catalogueEntries, emitSchemaFiles } from "../dist/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const jsonDir = join(root, "json");
rmSync(jsonDir, { recursive: true, force: true });
for (const file of emitSchemaFiles()) {
  mkdirSync(dirname(join(jsonDir, file.path)), { recursive: true });
  writeFileSync(join(jsonDir, file.path), file.text);
}
const types = await generateTypes(catalogueEntries());
writeFileSync(join(root, "src/generated/topic-map.generated.ts"), types);
process.stderr.write(`wrote ${emitSchemaFiles().length} files to json/ and src/generated/topic-map.generated.ts\n`);

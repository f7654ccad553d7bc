// `npm run schemas:generate` (root): rebuilds the package, which emits json/, then writes the
// generated types (src/generated/topic-map.generated.ts) from those schemas with @herald/codegen.
// Both are committed; the tests and `herald schema check` fail when they are stale.
import { writeFileSync } from "node:fs";
import { generateTypes } from "@herald/codegen";
import { catalogueEntries } from "../dist/index.js";

const target = new URL("../src/generated/topic-map.generated.ts", import.meta.url);
writeFileSync(target, await generateTypes(catalogueEntries()));
process.stderr.write("wrote src/generated/topic-map.generated.ts\n");

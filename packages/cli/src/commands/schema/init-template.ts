/**
 * The files of a new schema package (`herald schema init APP`), by path. Plain JavaScript, so the
 * package builds with Node alone; `herald` (its dev dependency) generates the types and checks it.
 */
export function schemaPackageFiles(app: string): Record<string, string> {
  const name = `${app}.item.created`;
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    "package.json": json({
      name: `${app}-schemas`,
      version: "0.1.0",
      description: `The Herald topic schemas of ${app}: JSON Schema files, presentation, TypeScript types`,
      type: "module",
      license: "MIT",
      herald: { schemas: "json" },
      exports: { ".": { types: "./types/index.d.ts" }, "./json/*": "./json/*", "./package.json": "./package.json" },
      types: "./types/index.d.ts",
      files: ["json", "types", "README.md"],
      scripts: {
        build: "node scripts/build-json.js && herald codegen --schemas json --out types/index.d.ts",
        test: "node scripts/build-json.js --check && herald codegen --schemas json --out types/index.d.ts --check && herald schema check --schemas json",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable of the npm script, not a JS template
        "check:released": "herald schema check --schemas json --against ${BASE_REF:-origin/main}",
        prepack: "npm run build",
      },
      devDependencies: { "@herald/cli": "^0.1.0", "@sinclair/typebox": "^0.34.52" },
    }),
    ".gitignore": "node_modules/\n*.tgz\n",
    [`src/${name}/1.0.js`]: `import { Type } from "@sinclair/typebox";

/**
 * ${name} 1.0. Once released (merged, published) this file never changes: add 1.1 for new
 * optional fields, or 2.0 for anything else. \`herald schema check --against\` holds you to it.
 */
export default Type.Object(
  {
    item: Type.String({ minLength: 1, description: "the item's id" }),
    username: Type.String({ minLength: 1, description: "who created it" }),
  },
  {
    description: "An item was created in ${app}.",
    examples: [{ item: "A1", username: "alice" }],
  },
);
`,
    [`src/${name}/1.presentation.json`]: json({
      summary: `{{/username}} created ${app} item {{/item}}`,
      usernames: ["/username"],
      icon: "package-plus",
    }),
    "scripts/build-json.js": `// Builds json/<name>/<major>.<minor>.json from src/<name>/<major>.<minor>.js (TypeBox), and copies
// each presentation document. With --check it writes nothing and exits 1 when json/ is stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const check = process.argv.includes("--check");
const stale = [];
const put = (path, text) => {
  if (check) {
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) stale.push(path);
    return;
  }
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
};
for (const name of readdirSync("src").sort()) {
  for (const file of readdirSync(join("src", name)).sort()) {
    const version = /^(\\d+\\.\\d+)\\.js$/.exec(file)?.[1];
    if (version !== undefined) {
      const { default: schema } = await import(pathToFileURL(join("src", name, file)).href);
      const document = { $schema: "https://json-schema.org/draft/2020-12/schema", $id: \`herald:\${name}/\${version}\`, ...schema };
      put(join("json", name, \`\${version}.json\`), \`\${JSON.stringify(document, null, 2)}\\n\`);
    } else if (file.endsWith(".presentation.json")) {
      put(join("json", name, file), readFileSync(join("src", name, file), "utf8"));
    }
  }
}
if (stale.length > 0) {
  for (const path of stale) process.stderr.write(\`\${path}: differs from its source (run npm run build)\\n\`);
  process.exit(1);
}
`,
    ".github/workflows/schemas.yml": `name: schemas
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npm test
      # Released versions stay byte for byte; a minor version breaks nothing of the one before.
      - run: npx herald schema check --schemas json --against origin/\${{ github.base_ref || 'main' }}
`,
    "README.md": `# ${app}-schemas

The topic schemas of ${app} on Herald: one folder per schema name, one file per version.

- \`src/<name>/<major>.<minor>.js\`: the TypeBox source of a version; \`src/<name>/<major>.presentation.json\`:
  how its messages read to people (summary template, usernames, packages, link, icon, severity).
- \`npm run build\`: writes \`json/\` (what Herald reads: \`"herald": { "schemas": "json" }\` in package.json)
  and \`types/index.d.ts\` (\`TopicMap\` for \`createBus<TopicMap>()\`, one type per major).
- \`npm test\`: json/ and types/ current, every example valid, every minor compatible with the one before.
- CI (\`.github/workflows/schemas.yml\`) also runs \`herald schema check --against\` the base branch:
  a released version that changed, or a breaking minor, goes red.

A project that depends on this package knows its topics: \`herald publish\` validates them, \`herald tail\`,
the monitor and IRC show their summary lines, the store indexes their usernames, \`herald docs build\`
documents them. Or \`herald schema publish json --registry URL\` makes them known to every subscriber.
`,
  };
}

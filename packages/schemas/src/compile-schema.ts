import type { DataCheck, DataProblem, DataSchema } from "@herald/sdk";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { JsonSchemaDocument } from "./to-json-schema.js";

// ajv-formats is CommonJS: under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** One ajv instance for every schema: compiling is the expensive part, done once per version. */
function createAjv(allErrors: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors, validateSchema: true });
  addFormats(ajv);
  return ajv;
}

let shared: Ajv2020 | undefined;
// The second instance lists every problem; it compiles a schema only once a report asks for the
// list, so the hot path (a relay checking each message) stops at the first problem and pays
// nothing for it.
let listing: Ajv2020 | undefined;

/**
 * Compiles a JSON Schema document into a {@link DataSchema}. Errors name the JSON path of the
 * value (`$.commit.rev`) and the rule broken (`pattern`); `problems` lists every one.
 * @throws Error when the document is not a valid JSON Schema.
 */
export function compileSchema(dataschema: string, document: JsonSchemaDocument): DataSchema {
  shared ??= createAjv(false);
  const { $id: _id, $schema: _dialect, ...body } = document;
  const validate = shared.compile(body);
  let validateAll: ReturnType<Ajv2020["compile"]> | undefined;
  const problem = (error: ErrorObject) => ({
    path: toJsonPath(error),
    rule: error.keyword,
    message: error.message ?? error.keyword,
  });
  return {
    dataschema,
    check(data: unknown): DataCheck {
      if (validate(data)) return { ok: true };
      const first = problem(validate.errors?.[0] as ErrorObject);
      let problems: DataProblem[] | undefined;
      return {
        ok: false,
        ...first,
        // Listed when asked (a user's report): a relay refusing data needs only the first, and
        // should not validate a hostile peer's data twice, or compile the listing on its first refusal.
        get problems() {
          if (problems === undefined) {
            listing ??= createAjv(true);
            validateAll ??= listing.compile(body);
            validateAll(data);
            const all = (validateAll.errors ?? []).map(problem);
            problems = all.length > 0 ? all : [first];
          }
          return problems;
        },
      };
    },
  };
}

/** `/commit/stats/files` → `$.commit.stats.files`; a missing property is named in the path. */
function toJsonPath(error: ErrorObject): string {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
  const missing =
    error.keyword === "required" ? (error.params as { missingProperty: string }).missingProperty : undefined;
  if (missing !== undefined) segments.push(missing);
  return `$${segments.map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : /^[A-Za-z_][\w]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`)).join("")}`;
}

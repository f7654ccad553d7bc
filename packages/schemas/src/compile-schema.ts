import type { DataCheck, DataProblem, DataSchema } from "@herald/sdk";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { linearRegExp } from "./linear-regexp.js";
import type { JsonSchemaDocument } from "./to-json-schema.js";

// ajv-formats is CommonJS: under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/**
 * One ajv instance for every schema of a kind: compiling is the expensive part, done once per
 * version. A schema from elsewhere (a registry) matches its patterns in linear time.
 */
function createAjv(allErrors: boolean, untrusted: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors,
    validateSchema: true,
    ...(untrusted ? { code: { regExp: linearRegExp } } : {}),
  });
  addFormats(ajv);
  return ajv;
}

// Per kind (trusted, untrusted): the first-problem instance, and the one that lists every problem.
// The second compiles a schema only once a report asks for the list, so the hot path (a relay
// checking each message) stops at the first problem and pays nothing for it.
const instances = {
  trusted: { shared: undefined, listing: undefined },
  untrusted: { shared: undefined, listing: undefined },
} as Record<"trusted" | "untrusted", { shared: Ajv2020 | undefined; listing: Ajv2020 | undefined }>;

/** Options of {@link compileSchema}. */
export interface CompileSchemaOptions {
  /**
   * The document comes from elsewhere (a registry, its cache): its patterns run on a linear-time
   * engine. The built-in catalogue and an operator's own folders are trusted.
   */
  untrusted?: boolean;
}

/**
 * Compiles a JSON Schema document into a {@link DataSchema}. Errors name the JSON path of the
 * value (`$.commit.rev`) and the rule broken (`pattern`); `problems` lists every one.
 * @throws Error when the document is not a valid JSON Schema.
 */
export function compileSchema(
  dataschema: string,
  document: JsonSchemaDocument,
  options: CompileSchemaOptions = {},
): DataSchema {
  const kind = options.untrusted === true ? "untrusted" : "trusted";
  const ajv = instances[kind];
  ajv.shared ??= createAjv(false, kind === "untrusted");
  const { $id: _id, $schema: _dialect, ...body } = document;
  const validate = ajv.shared.compile(body);
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
            ajv.listing ??= createAjv(true, kind === "untrusted");
            validateAll ??= ajv.listing.compile(body);
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

import type { Envelope } from "@herald/sdk";
import { parseDataschema } from "@herald/sdk/internal";
import {
  type CompiledPresentation,
  compilePresentation,
  genericPresentation,
  presentData,
} from "./presentation/present-data.js";
import type { Presentation } from "./presentation/presentation-document.js";
import { catalogueEntries, type SchemaEntry } from "./schema-registry.js";

export type { Presentation };

/** Presents envelopes from the presentation documents of a set of schema entries. */
export interface Presenter {
  /**
   * The summary line, people, packages, link, icon and severity of an envelope, from the document
   * of the schema major it names (or, without `dataschema`, of `schemaName`'s newest major). Never
   * throws: a message no document presents gets a generic line.
   */
  present(envelope: Envelope, schemaName?: string): Presentation;
}

/**
 * A presenter over schema entries (the built-in catalogue, an app's folder, a schema package):
 * each document compiled once. An entry without a document presents generically.
 */
export function createPresenter(entries: readonly SchemaEntry[]): Presenter {
  // name → major → compiled document
  const byName = new Map<string, Map<number, CompiledPresentation>>();
  for (const entry of entries) {
    if (entry.presentation === undefined) continue;
    const major = Number(entry.version.split(".")[0]);
    const majors = byName.get(entry.name) ?? new Map<number, CompiledPresentation>();
    const current = majors.get(major);
    if (current === undefined || current.document !== entry.presentation)
      majors.set(major, compilePresentation(entry.presentation));
    byName.set(entry.name, majors);
  }
  // By dataschema: a stream carries few, so each is parsed once (bounded, for hostile streams).
  const byDataschema = new Map<string, CompiledPresentation | undefined>();
  return {
    present(envelope, schemaName) {
      // A dataschema of another schema than the topic's is ignored: a sender cannot have a
      // `logger.log` message presented (or indexed) as a `wiki.article.edit`.
      const named = envelope.dataschema === undefined ? undefined : parseDataschema(envelope.dataschema);
      const dataschema =
        named !== undefined &&
        (schemaName !== undefined
          ? named.name === schemaName
          : typeof envelope.type !== "string" || envelope.type.endsWith(`.${named.name}`))
          ? envelope.dataschema
          : undefined;
      if (dataschema !== undefined && byDataschema.has(dataschema)) {
        const cached = byDataschema.get(dataschema);
        return cached === undefined ? genericPresentation(envelope.data) : presentData(cached, envelope.data);
      }
      const parsed = dataschema === undefined ? undefined : named;
      const majors = byName.get(parsed?.name ?? schemaName ?? "");
      const compiled =
        majors === undefined
          ? undefined
          : parsed === undefined
            ? majors.get(Math.max(...majors.keys()))
            : majors.get(parsed.major);
      if (dataschema !== undefined) {
        if (byDataschema.size >= 1000) byDataschema.clear();
        byDataschema.set(dataschema, compiled);
      }
      return compiled === undefined ? genericPresentation(envelope.data) : presentData(compiled, envelope.data);
    },
  };
}

let builtIn: Presenter | undefined;

/** Presents an envelope with the built-in catalogue's documents: see {@link Presenter.present}. */
export function present(envelope: Envelope, schemaName?: string): Presentation {
  builtIn ??= createPresenter(catalogueEntries());
  return builtIn.present(envelope, schemaName);
}

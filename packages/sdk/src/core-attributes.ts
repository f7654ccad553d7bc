/** The attributes of PROTOCOL.md §2 that are not extensions: what envelope.ts and canonical-form.ts both check names against. */
export const knownAttributes: ReadonlySet<string> = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "datacontenttype",
  "dataschema",
  "data",
  "keyid",
  "sig",
]);

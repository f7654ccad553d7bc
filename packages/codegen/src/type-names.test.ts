import fc from "fast-check";
// The generator's own rewriting of a name into an identifier: a name it leaves unchanged is one
// the declaration and the TopicMap agree on.
import { toSafeString } from "json-schema-to-typescript/dist/src/utils.js";
import { describe, expect, it } from "vitest";
import { typeNameOf, typeNamesOf } from "./generate-types.js";

/**
 * A token of the topic grammar (`[a-z0-9][a-z0-9_-]*`), drawn so that the hard cases are common:
 * digits inside and at the start, `_` and `-`, one letter, TypeScript keywords.
 */
const token = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,5}$/),
  fc.stringMatching(/^[ab1][ab1_-]{0,2}$/),
  fc.constantFrom(
    "class",
    "delete",
    "new",
    "enum",
    "interface",
    "type",
    "default",
    "in",
    "of",
    "a",
    "z",
    "s3bucket",
    "ipv6addr",
    "h264",
    "zz01df",
  ),
);
/** A schema name: two to four tokens. */
const schemaName = fc.array(token, { minLength: 2, maxLength: 4 }).map((tokens) => tokens.join("."));
/** The majors of one generated file: names with one or two majors. */
const batch = fc.uniqueArray(fc.record({ name: schemaName, major: fc.integer({ min: 1, max: 3 }) }), {
  minLength: 1,
  maxLength: 60,
  selector: (entry) => `${entry.name}@${entry.major}`,
});

describe("generated type names", () => {
  it("keeps the readable names of the catalogue", () => {
    expect(typeNameOf("wiki.article.edit", 1)).toBe("WikiArticleEditV1");
    expect(typeNameOf("mirror.master.out_of_sync", 2)).toBe("MirrorMasterOutOfSyncV2");
    expect(typeNameOf("mirror.tier1.sync.complete", 1)).toBe("MirrorTier1SyncCompleteV1");
    expect(typeNameOf("zz01df.thing.made", 1)).toBe("Zz01DfThingMadeV1");
    expect(typeNameOf("3d.model.make", 1)).toBe("_3DModelMakeV1");
  });

  it("are identifiers the generator leaves as they are, distinct within a file, whatever the topics", () => {
    fc.assert(
      fc.property(batch, (entries) => {
        const nameOf = typeNamesOf(entries);
        const names = entries.map(({ name, major }) => nameOf(name, major));
        for (const name of names) {
          expect(name).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
          expect(toSafeString(name)).toBe(name);
        }
        expect(new Set(names).size).toBe(names.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("tells apart names that read the same, and leaves the others readable", () => {
    const entries = [
      "a_b.c",
      "a.b_c",
      "a.b.c",
      "s3bucket.put",
      "s3.bucket.put",
      "h264.x",
      "h264x.y",
      "cart-item.drop",
    ].map((name) => ({ name, major: 1 }));
    const nameOf = typeNamesOf(entries);
    expect(entries.map(({ name }) => nameOf(name, 1))).toEqual([
      "A_BCV1",
      "AB_CV1",
      "ABCV1",
      "S3BucketPutV1",
      "S3$$BucketPutV1",
      "H264XV1",
      "H264XYV1",
      "CartItemDropV1",
    ]);
  });
});

import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../../define-topic-schema.js";
import { ChangedTree } from "../../../_tree.js";

/** mirror.tier1.sync.complete 1.0 */
export const mirrorTier1SyncCompleteV1 = defineTopicSchema({
  name: "mirror.tier1.sync.complete",
  version: "1.0",
  description: "A tier-1 mirror finished pulling: its tier-2 mirrors may pull from it now.",
  emittedBy: "integrations/mirror (herald mirror agent)",
  schema: Type.Composite([
    ChangedTree,
    Type.Object({
      mirror: Type.String({ minLength: 1, maxLength: 255, description: "the tier-1 mirror's name" }),
      status: Type.Union([Type.Literal("succeeded"), Type.Literal("failed")]),
      duration_ms: Type.Integer({ minimum: 0 }),
    }),
  ]),
  examples: [
    {
      tree: "fedora",
      paths: ["updates/41/x86_64"],
      mirror: "tier1-eu.example.org",
      status: "succeeded",
      duration_ms: 84000,
    },
  ],
  presentation: {
    summary: '{{/mirror}} finished syncing {{/tree}} ({{/paths | join ", " | default "everything"}})',
    packages: ["/tree"],
    icon: "cloud-check",
  },
});

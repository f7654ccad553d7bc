import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../../define-topic-schema.js";
import { ChangedTree } from "../../../_tree.js";

/** mirror.tier1.sync.start 1.0 */
export const mirrorTier1SyncStartV1 = defineTopicSchema({
  name: "mirror.tier1.sync.start",
  version: "1.0",
  description: "A tier-1 mirror started pulling from the master.",
  emittedBy: "integrations/mirror (herald mirror agent)",
  schema: Type.Composite([
    ChangedTree,
    Type.Object({ mirror: Type.String({ minLength: 1, maxLength: 255, description: "the tier-1 mirror's name" }) }),
  ]),
  examples: [{ tree: "fedora", paths: ["updates/41/x86_64"], mirror: "tier1-eu.example.org" }],
  presentation: {
    summary: '{{/mirror}} started syncing {{/tree}} ({{/paths | join ", " | default "everything"}})',
    packages: ["/tree"],
    icon: "download-cloud",
  },
});

import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { ChangedTree } from "../../_tree.js";

/** mirror.master.in_sync 1.0 */
export const mirrorMasterInSyncV1 = defineTopicSchema({
  name: "mirror.master.in_sync",
  version: "1.0",
  description: "The master copy is consistent again: tier-1 mirrors may pull now.",
  emittedBy: "integrations/mirror",
  schema: Type.Composite([
    ChangedTree,
    Type.Object({ host: Type.String({ maxLength: 255, description: "the master host" }) }),
  ]),
  examples: [{ tree: "fedora", paths: ["updates/41/x86_64", "updates/41/aarch64"], host: "master01.example.org" }],
  presentation: {
    summary: 'master in sync: {{/tree}} ({{/paths | join ", " | default "everything"}})',
    packages: ["/tree"],
    icon: "refresh-cw",
  },
});

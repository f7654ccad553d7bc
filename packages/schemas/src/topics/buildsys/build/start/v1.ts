import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { DateTime, Username } from "../../../_fields.js";

/** buildsys.build.start 1.0 */
export const buildsysBuildStartV1 = defineTopicSchema({
  name: "buildsys.build.start",
  version: "1.0",
  description: "A build started.",
  emittedBy: "integrations/build (herald build, Buildbot receiver)",
  schema: Type.Object({
    build_id: Type.String({ minLength: 1, maxLength: 255, description: "unique per build within the build system" }),
    name: Type.String({ minLength: 1, maxLength: 255, description: "what is being built" }),
    command: Type.Optional(Type.Array(Type.String(), { description: "the command line" })),
    host: Type.String({ maxLength: 255 }),
    started_at: DateTime,
    owner: Type.Optional(Username),
  }),
  examples: [
    {
      build_id: "herald-1042",
      name: "herald",
      command: ["npm", "test"],
      host: "builder01",
      started_at: "2026-11-27T16:38:04.123Z",
      owner: "alice",
    },
  ],
  presentation: {
    summary: "build {{/build_id}} of {{/name}} started on {{/host}}",
    usernames: ["/owner"],
    packages: ["/name"],
    icon: "hammer",
  },
});

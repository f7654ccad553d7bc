import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { DateTime, Url, Username } from "../../../_fields.js";

/** buildsys.build.complete 1.0 */
export const buildsysBuildCompleteV1 = defineTopicSchema({
  name: "buildsys.build.complete",
  version: "1.0",
  description: "A build finished: how, how long it took, and the end of its log.",
  emittedBy: "integrations/build (herald build, Buildbot receiver)",
  schema: Type.Object({
    build_id: Type.String({ minLength: 1, maxLength: 255 }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    status: Type.Union([Type.Literal("succeeded"), Type.Literal("failed"), Type.Literal("cancelled")]),
    exit_code: Type.Union([Type.Integer(), Type.Null()], { description: "null when the build was killed by a signal" }),
    signal: Type.Optional(Type.String({ description: "the signal that ended the build, e.g. SIGTERM" })),
    duration_ms: Type.Integer({ minimum: 0 }),
    finished_at: DateTime,
    log_tail: Type.String({ maxLength: 16384, description: "the last lines of the build's output" }),
    owner: Type.Optional(Username),
    url: Type.Optional(Url),
  }),
  examples: [
    {
      build_id: "herald-1042",
      name: "herald",
      status: "failed",
      exit_code: 3,
      duration_ms: 73120,
      finished_at: "2026-11-27T16:39:17.243Z",
      log_tail: "FAIL src/relay.test.ts > fails over\nTests  1 failed | 128 passed",
      owner: "alice",
    },
  ],
  presentation: {
    summary: "build {{/build_id}} of {{/name}} {{/status}} after {{/duration_ms | divide 1000 | round}} s",
    usernames: ["/owner"],
    packages: ["/name"],
    link: "{{/url}}",
    icon: "hammer",
    severity: {
      default: "info",
      when: [
        {
          pointer: "/status",
          equals: "failed",
          severity: "error",
        },
      ],
    },
  },
});

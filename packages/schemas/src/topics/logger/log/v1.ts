import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../define-topic-schema.js";
import { Username } from "../../_fields.js";

/** logger.log 1.0: free-form text, what `herald publish` sends for scripts and people. */
export const loggerLogV1 = defineTopicSchema({
  name: "logger.log",
  version: "1.0",
  description: "A free-form line of text from a script or a person (what fedmsg-logger sent).",
  emittedBy: "herald publish",
  schema: Type.Object({
    text: Type.String({ minLength: 1, maxLength: 65536 }),
    username: Type.Optional(Username),
  }),
  examples: [{ text: "deployed herald 1.0 to production", username: "alice" }],
  presentation: {
    summary: "{{#/username}}{{/username}}: {{end}}{{/text}}",
    usernames: ["/username"],
    icon: "message-square",
  },
});

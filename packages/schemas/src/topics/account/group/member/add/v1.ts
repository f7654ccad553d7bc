import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../../define-topic-schema.js";
import { usernameField } from "../../../../_fields.js";

/** account.group.member.add 1.0 */
export const accountGroupMemberAddV1 = defineTopicSchema({
  name: "account.group.member.add",
  version: "1.0",
  description: "A user was added to a group.",
  emittedBy: "the account system",
  schema: Type.Object({
    group: Type.String({ minLength: 1, maxLength: 255 }),
    username: usernameField(),
    agent: usernameField("who added the user"),
  }),
  examples: [{ group: "packagers", username: "erin", agent: "alice" }],
  presentation: {
    summary: "{{/agent}} added {{/username}} to {{/group}}",
    usernames: ["/username", "/agent"],
    icon: "users",
  },
});

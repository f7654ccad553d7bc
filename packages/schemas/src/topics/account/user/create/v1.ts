import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { Username } from "../../../_fields.js";

/** account.user.create 1.0 */
export const accountUserCreateV1 = defineTopicSchema({
  name: "account.user.create",
  version: "1.0",
  description: "A new user account was created. Never carries secrets or e-mail addresses.",
  emittedBy: "the account system",
  schema: Type.Object({ username: Username, full_name: Type.Optional(Type.String({ maxLength: 255 })) }),
  examples: [{ username: "erin", full_name: "Erin Example" }],
  presentation: {
    summary: "new user {{/username}}",
    usernames: ["/username"],
    icon: "user-plus",
  },
});

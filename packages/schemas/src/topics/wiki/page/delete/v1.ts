import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { Username } from "../../../_fields.js";

/** wiki.page.delete 1.0 */
export const wikiPageDeleteV1 = defineTopicSchema({
  name: "wiki.page.delete",
  version: "1.0",
  description: "A wiki page was deleted.",
  emittedBy: "integrations/mediawiki (extension)",
  schema: Type.Object({
    title: Type.String({ minLength: 1, maxLength: 255 }),
    user: Username,
    reason: Type.String({ maxLength: 1000 }),
  }),
  examples: [{ title: "Old Draft", user: "carol", reason: "superseded by Main Page" }],
  presentation: {
    summary: "{{/user}} deleted {{/title}}",
    usernames: ["/user"],
    icon: "file-x",
  },
});

import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { Url, Username } from "../../../_fields.js";

/** wiki.article.edit 1.0 */
export const wikiArticleEditV1 = defineTopicSchema({
  name: "wiki.article.edit",
  version: "1.0",
  description: "A wiki page was saved with a new revision.",
  emittedBy: "integrations/mediawiki (extension)",
  schema: Type.Object({
    title: Type.String({ minLength: 1, maxLength: 255 }),
    user: Username,
    revision: Type.Integer({ minimum: 1 }),
    minor: Type.Boolean(),
    url: Url,
    comment: Type.Optional(Type.String({ maxLength: 1000, description: "the edit summary" })),
  }),
  examples: [
    {
      title: "Main Page",
      user: "bob",
      revision: 42,
      minor: false,
      url: "https://wiki.example.org/index.php?title=Main_Page&oldid=42",
      comment: "typo",
    },
  ],
  presentation: {
    summary: "{{/user}} edited {{/title}}{{#/minor}} (minor){{end}}",
    usernames: ["/user"],
    link: "{{/url}}",
    icon: "file-pen",
  },
});

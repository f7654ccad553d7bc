import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { Url, Username } from "../../../_fields.js";

/** wiki.article.edit 1.1: adds the optional `size_delta`, so a summary can say how big an edit was. */
export const wikiArticleEditV1_1 = defineTopicSchema({
  name: "wiki.article.edit",
  version: "1.1",
  description: "A wiki page was saved with a new revision.",
  emittedBy: "integrations/mediawiki (extension)",
  schema: Type.Object({
    title: Type.String({ minLength: 1, maxLength: 255 }),
    user: Username,
    revision: Type.Integer({ minimum: 1 }),
    minor: Type.Boolean(),
    url: Url,
    comment: Type.Optional(Type.String({ maxLength: 1000, description: "the edit summary" })),
    size_delta: Type.Optional(Type.Integer({ description: "bytes the edit added (positive) or removed (negative)" })),
  }),
  examples: [
    {
      title: "Main Page",
      user: "bob",
      revision: 42,
      minor: false,
      url: "https://wiki.example.org/index.php?title=Main_Page&oldid=42",
      comment: "typo",
      size_delta: -3,
    },
  ],
  presentation: {
    summary: "{{/user}} edited {{/title}}{{#/minor}} (minor){{end}}{{#/size_delta}} ({{/size_delta | signed}}){{end}}",
    usernames: ["/user"],
    link: "{{/url}}",
    icon: "file-pen",
  },
});

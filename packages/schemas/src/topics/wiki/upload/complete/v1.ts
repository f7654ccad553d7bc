import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { Url, Username } from "../../../_fields.js";

/** wiki.upload.complete 1.0 */
export const wikiUploadCompleteV1 = defineTopicSchema({
  name: "wiki.upload.complete",
  version: "1.0",
  description: "A file was uploaded to the wiki.",
  emittedBy: "integrations/mediawiki (extension)",
  schema: Type.Object({
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    user: Username,
    size: Type.Integer({ minimum: 0, description: "bytes" }),
    mime: Type.String({ maxLength: 255 }),
    url: Url,
  }),
  examples: [
    {
      filename: "Herald-logo.svg",
      user: "dave",
      size: 4312,
      mime: "image/svg+xml",
      url: "https://wiki.example.org/images/Herald-logo.svg",
    },
  ],
  presentation: {
    summary: "{{/user}} uploaded {{/filename}}",
    usernames: ["/user"],
    link: "{{/url}}",
    icon: "file-up",
  },
});

import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { GitRev, RefName, RepoName, Username } from "../../../_fields.js";

/** git.tag.create 1.0 */
export const gitTagCreateV1 = defineTopicSchema({
  name: "git.tag.create",
  version: "1.0",
  description: "A push created a tag.",
  emittedBy: "integrations/git (post-receive hook)",
  schema: Type.Object({
    repo: RepoName,
    tag: RefName,
    rev: GitRev,
    annotation: Type.Optional(Type.String({ maxLength: 65536, description: "the message of an annotated tag" })),
    username: Username,
  }),
  examples: [
    {
      repo: "herald",
      tag: "v1.0.0",
      rev: "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3",
      annotation: "Herald 1.0",
      username: "alice",
    },
  ],
  presentation: {
    summary: "{{/username}} tagged {{/repo}} {{/tag}}",
    usernames: ["/username"],
    packages: ["/repo"],
    icon: "tag",
  },
});

import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { Count, RepoName, Username } from "../../../_fields.js";

const RefChange = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 255, description: "the full ref name, e.g. refs/heads/main" }),
  old: Type.String({ pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$" }),
  new: Type.String({ pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$" }),
  commits: Count,
  forced: Type.Boolean({ description: "the old revision is not an ancestor of the new one" }),
});

/** git.push.complete 1.0: one summary per push, after its per-commit messages. */
export const gitPushCompleteV1 = defineTopicSchema({
  name: "git.push.complete",
  version: "1.0",
  description:
    "A push was received: the refs it moved and how many commits it brought. When a push brings more commits than the hook publishes one by one, `truncated` says so.",
  emittedBy: "integrations/git (post-receive hook)",
  schema: Type.Object({
    repo: RepoName,
    username: Username,
    refs: Type.Array(RefChange),
    commits: Count,
    published: Type.Integer({ minimum: 0, description: "how many git.receive messages were sent for this push" }),
    truncated: Type.Boolean(),
  }),
  examples: [
    {
      repo: "herald",
      username: "alice",
      refs: [
        {
          ref: "refs/heads/main",
          old: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
          new: "b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0",
          commits: 3,
          forced: false,
        },
      ],
      commits: 3,
      published: 3,
      truncated: false,
    },
  ],
  presentation: {
    summary:
      '{{/username}} pushed {{/commits}} {{/commits | plural "commit" "commits"}} to {{/repo}} ({{/refs/*/ref | shortref | join ", "}}){{#/truncated}}, {{/published}} announced{{end}}',
    usernames: ["/username"],
    packages: ["/repo"],
    icon: "upload",
  },
});

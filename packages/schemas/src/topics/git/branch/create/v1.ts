import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { GitRev, RefName, RepoName, Username } from "../../../_fields.js";

/** git.branch.create 1.0 */
export const gitBranchCreateV1 = defineTopicSchema({
  name: "git.branch.create",
  version: "1.0",
  description: "A push created a branch.",
  emittedBy: "integrations/git (post-receive hook)",
  schema: Type.Object({ repo: RepoName, branch: RefName, rev: GitRev, username: Username }),
  examples: [
    {
      repo: "herald",
      branch: "feature/relay-buffer",
      rev: "b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0",
      username: "bob",
    },
  ],
  presentation: {
    summary: "{{/username}} created branch {{/branch}} in {{/repo}}",
    usernames: ["/username"],
    packages: ["/repo"],
    icon: "git-branch-plus",
  },
});

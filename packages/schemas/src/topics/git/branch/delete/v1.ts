import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { GitRev, RefName, RepoName, Username } from "../../../_fields.js";

/** git.branch.delete 1.0 */
export const gitBranchDeleteV1 = defineTopicSchema({
  name: "git.branch.delete",
  version: "1.0",
  description: "A push deleted a branch; `rev` is where the branch pointed before.",
  emittedBy: "integrations/git (post-receive hook)",
  schema: Type.Object({ repo: RepoName, branch: RefName, rev: GitRev, username: Username }),
  examples: [
    { repo: "herald", branch: "feature/old", rev: "c0ffee1c0ffee1c0ffee1c0ffee1c0ffee1c0ffe", username: "carol" },
  ],
  presentation: {
    summary: "{{/username}} deleted branch {{/branch}} in {{/repo}}",
    usernames: ["/username"],
    packages: ["/repo"],
    icon: "git-branch-minus",
  },
});

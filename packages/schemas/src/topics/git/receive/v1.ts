import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../define-topic-schema.js";
import { Count, GitRev, RefName, RepoName, usernameField } from "../../_fields.js";

const FileStats = Type.Object({ additions: Count, deletions: Count });

/** git.receive 1.0: one message per commit a push brought to a repository. */
export const gitReceiveV1 = defineTopicSchema({
  name: "git.receive",
  version: "1.0",
  description: "A commit arrived in a repository by a push: one message per new commit.",
  emittedBy: "integrations/git (post-receive hook)",
  schema: Type.Object({
    commit: Type.Object({
      repo: RepoName,
      branch: RefName,
      rev: GitRev,
      summary: Type.String({ maxLength: 1000, description: "the first line of the commit message" }),
      message: Type.Optional(Type.String({ maxLength: 65536, description: "the whole commit message" })),
      username: usernameField("the user who pushed"),
      author: Type.Optional(
        Type.Object(
          { name: Type.String({ maxLength: 255 }), email: Type.String({ maxLength: 255 }) },
          { description: "the commit's author" },
        ),
      ),
      stats: Type.Object({
        files: Type.Record(Type.String(), FileStats, { description: "lines added and deleted per file path" }),
        total: Type.Object({ additions: Count, deletions: Count, files: Count }),
      }),
    }),
  }),
  examples: [
    {
      commit: {
        repo: "herald",
        branch: "main",
        rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
        summary: "Fix the relay’s reconnect loop",
        message: "Fix the relay’s reconnect loop\n\nThe backoff never reset after a success.",
        username: "alice",
        author: { name: "Alice Liddell", email: "alice@example.org" },
        stats: {
          files: { "src/relay.ts": { additions: 12, deletions: 3 } },
          total: { additions: 12, deletions: 3, files: 1 },
        },
      },
    },
  ],
  presentation: {
    summary: "{{/commit/username}} pushed to {{/commit/repo}} ({{/commit/branch}}): {{/commit/summary}}",
    usernames: ["/commit/username"],
    packages: ["/commit/repo"],
    icon: "git-commit",
  },
});

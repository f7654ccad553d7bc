import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { BugzillaBug, bugzillaEvent } from "../../_bugzilla.js";

/** bugzilla.comment.create 1.0 */
export const bugzillaCommentCreateV1 = defineTopicSchema({
  name: "bugzilla.comment.create",
  version: "1.0",
  description: "A comment was added to a bug in Bugzilla.",
  emittedBy: "Bugzilla, through the stomp or amqp10 bridge (VirtualTopic.eng.bugzilla.comment.create)",
  schema: Type.Object({
    comment: Type.Object({
      id: Type.Integer({ minimum: 1 }),
      number: Type.Optional(Type.Integer({ minimum: 0, description: "its place among the bug's comments" })),
      body: Type.String({ maxLength: 65_535 }),
      is_private: Type.Boolean(),
      creation_time: Type.Optional(Type.String({ maxLength: 64 })),
      bug: BugzillaBug,
    }),
    event: bugzillaEvent("comment", "create"),
  }),
  examples: [
    {
      comment: {
        id: 1691487,
        number: 8,
        body: "qa09 and qa14 have 8 560 GB SAS drives in RAID-6.",
        is_private: false,
        creation_time: "2019-04-18T15:55:38",
        bug: {
          id: 1691487,
          summary: "openQA transient test failure as duplicated first character just after a snapshot",
          product: { id: 49, name: "Fedora" },
          component: { id: 145692, name: "openqa" },
          status: { id: 1, name: "NEW" },
          reporter: { login: "normand@example.org" },
          assigned_to: { login: "awilliam@example.org" },
        },
      },
      event: {
        target: "comment",
        action: "create",
        routing_key: "comment.create",
        bug_id: 1691487,
        user: { login: "smooge@example.org", id: 12 },
        time: "2019-04-18T15:55:38",
      },
    },
  ],
  presentation: {
    summary:
      "{{/event/user/login}} commented on bug {{/comment/bug/id}} ({{/comment/bug/product/name}}/{{/comment/bug/component/name}}): {{/comment/bug/summary}}",
    usernames: ["/event/user/login", "/comment/bug/assigned_to/login", "/comment/bug/reporter/login"],
    packages: ["/comment/bug/product/name", "/comment/bug/component/name"],
    icon: "message-square",
  },
});

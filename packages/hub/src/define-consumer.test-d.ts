// Type-level tests, checked by `npm run typecheck` (tsc): defineConsumer is typed by the topic map.
import { defineConsumer } from "./define-consumer.js";

export const typed = defineConsumer({
  name: "typed",
  topics: ["git.tag.create", "account.user.create"],
  handle(message) {
    if (message.event === "git.tag.create") {
      const tag: string = message.data.tag;
      // @ts-expect-error: a git.tag.create has no full_name
      message.data.full_name;
      return void tag;
    }
    const username: string = message.data.username;
    return void username;
  },
});

export const unknownEvent = defineConsumer({
  name: "unknown",
  // @ts-expect-error: an event the catalogue does not know is a compile error
  topics: ["git.tag.created"],
  handle() {},
});

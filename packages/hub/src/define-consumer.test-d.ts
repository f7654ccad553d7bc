// Type-level tests, checked by `npm run typecheck` (tsc): defineConsumer is typed by the topic map.
import type { TopicMap } from "@herald/schemas";
import { defineConsumer } from "./define-consumer.js";

/** An app's own topic map, as `herald codegen` writes it in a schema package. */
interface ShopTopicMap {
  "shop.order.placed": { order: string; customer: string; coupon?: string };
  "shop.order.placed@1": { order: string; customer: string; coupon?: string };
}

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

export const appTyped = defineConsumer<ShopTopicMap>({
  name: "shop",
  topics: ["shop.order.placed"],
  handle(message) {
    const customer: string = message.data.customer;
    // @ts-expect-error: a shop.order.placed has no total
    message.data.total;
    return void customer;
  },
});

export const appUnknown = defineConsumer<ShopTopicMap>({
  name: "shop-unknown",
  // @ts-expect-error: an event the app's map does not know is a compile error
  topics: ["shop.order.shipped"],
  handle() {},
});

// Built-in and app topics together.
export const both = defineConsumer<TopicMap & ShopTopicMap>({
  name: "both",
  topics: ["shop.order.placed", "git.tag.create"],
  handle(message) {
    if (message.event === "git.tag.create") return void message.data.tag;
    if (message.event === "shop.order.placed") return void message.data.order;
  },
});

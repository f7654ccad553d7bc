// Type-level tests, checked by `npm run typecheck` (tsc): the generated TopicMap types the SDK's publish.
import { type Bus, createBus } from "@herald/sdk";
import { createMemoryTransport } from "@herald/sdk/testing";
import type { TopicMap } from "./index.js";

const bus: Bus<TopicMap> = createBus<TopicMap>({
  schemas: "none",
  transport: createMemoryTransport(),
  prefix: "org.example",
  environment: "test",
});
const url = "https://wiki.example.org/x";
const edit = { title: "Main Page", user: "bob", revision: 42, minor: false, url };
const misspelt = { titel: "Main Page", user: "bob", revision: 42, minor: false, url };
const wrongType = { title: "Main Page", user: "bob", revision: "42", minor: false, url };

export async function typedPublishing(): Promise<void> {
  await bus.publish("wiki.article.edit", edit);
  // @ts-expect-error: a misspelt field is a compile error
  await bus.publish("wiki.article.edit", misspelt);
  // @ts-expect-error: a wrong type is a compile error
  await bus.publish("wiki.article.edit", wrongType);
  // @ts-expect-error: an unknown topic is a compile error
  await bus.publish("wiki.article.edited", edit);
  // A major named outright, as a publisher moving between majors does.
  await bus.publish("wiki.article.edit@1", edit);
  // @ts-expect-error: a major that does not exist is a compile error
  await bus.publish("wiki.article.edit@9", edit);
}

// Every bus chooses its schemas: a registry, or "none" written out.
// @ts-expect-error schemas is required
createBus({ transport: createMemoryTransport() });

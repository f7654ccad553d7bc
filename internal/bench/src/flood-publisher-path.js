import { fileURLToPath } from "node:url";

/**
 * A separate publishing process for throughput and robustness tests (and `npm run bench`):
 * `node flood-publisher.js --bind ADDR --count N [--key PEM --keyid ID] [--forged K] [--garbage G]`.
 */
export const floodPublisherScript = fileURLToPath(new URL("./flood-publisher.js", import.meta.url));

export { freePort, tcpAddress } from "./ports.js";
export { loadVectors, repoRoot, specDir, type Vectors } from "./vectors.js";

import { main } from "./cli.js";

// The process entry point (`bin/herald.js` imports it). Exiting explicitly ends the process even if
// a library left a timer or socket behind; stdout and stderr are synchronous for files and pipes.
process.exit(await main(process.argv.slice(2)));

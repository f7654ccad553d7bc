#!/usr/bin/env node
// A committed entry point, so the bin link is executable before `npm run build` creates dist/.
import "../dist/run.js";

// `npm start`: builds what is missing (the web app on a first start; the server bundle when missing or older than
// its sources), then runs the server in this very process, so the process `npm start` leaves running is the
// server itself (a supervisor's SIGTERM reaches it through npm, which forwards it).
import { pathToFileURL } from "node:url";
import "../../web/scripts/ensure-built.mjs";
import { buildServer, isStale, OUTFILE } from "./build.mjs";

if (isStale()) {
  console.log("Building the server…");
  await buildServer();
}
await import(pathToFileURL(OUTFILE).href);

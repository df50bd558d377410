/**
 * The server's test kit (`@tessera/server/testing`), for the server's own tests and those of the SDK and the web app:
 * a real server in-process (startTestServer) or as its own process (spawnServer); accounts over HTTP (account);
 * REST and tRPC callers whose REST answers are checked against the OpenAPI document; the contract's assertions;
 * image files and uploads; marketplace fixtures. It builds on the API's kit (`@tessera/api/testing`).
 */
export * from "./accounts.ts";
export * from "./clients.ts";
export * from "./http.ts";
export * from "./images.ts";
export * from "./market.ts";
export * from "./openapi-check.ts";
export * from "./process.ts";
export * from "./server.ts";

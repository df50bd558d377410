/**
 * The API's test kit (`@tessera/api/testing`): real services called through createCaller, signed-in accounts,
 * market and task fixtures, images, an S3 test server, Redis helpers, the shared event-bus suite, and the one
 * cursor walker. Each module imports the others directly, never this index, so the kit has no import circles.
 */
export { type Account, account, type AccountOptions, adminCaller, signedInCaller, TEST_PASSWORD } from "./accounts.ts";
export { type TestEnvironment, testEnvironment } from "./environment.ts";
export { type BusPair, eventBusBehaviour, nextWithin, sample, type SampleEvent } from "./event-bus-behaviour.ts";
export { SAMPLES } from "./image-samples.ts";
export { pngBytes, pngStream, streamOf } from "./images.ts";
export { PNG_SIGNATURE, pngChunk } from "../png.ts";
export { paidOrder, product, type ProductSpec, stockOf, viaCaller } from "./market.ts";
export { type Page, pages, type PagesOptions } from "./pages.ts";
export { closedPort } from "./ports.ts";
export { closeAll, connections, randomPrefix, rawClient, silentLogger, TEST_REDIS_URL } from "./redis.ts";
export { S3RVER_KEY, type S3TestServer, startS3TestServer } from "./s3.ts";
export { appCodeOf, type Caller, createTestServices, rejection, type TestEnv } from "./services.ts";
export { compareFor, ids, SORTS, type SortName, type WireTask } from "./tasks.ts";
export { eventually, within } from "./waiting.ts";

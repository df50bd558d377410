export {
  createTesseraClient, type EventSourceConstructor, type FetchLike, type TesseraAuth, type TesseraClient, type TesseraClientOptions,
} from "./client.ts";
export type { ImageData, UploadedImage, UploadImageOptions } from "./upload.ts";
export { isTesseraError, TesseraError, type TesseraErrorCode, type TesseraErrorOptions } from "./errors.ts";
export {
  localStorageTokenStore, type LocalStorageTokenStoreOptions, memoryTokenStore, type StorageLike, type TesseraTokens, type TokenStore,
} from "./token-store.ts";
// Types only: router.ts is where the server's router is turned into a self-contained type, and nothing of it runs.
export type {
  AppCode, Cart, Category, CurrentUser, FieldProblem, LoginInput, Order, OrderEvent, Product, ProductInput, RegisterInput, RouterInputs,
  RouterOutputs, Task, TaskEvent, TesseraRouter, User,
} from "./router.ts";

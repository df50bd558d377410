import { protectedProcedure, router } from "../../trpc.ts";
import { createEntry, deleteEntry, getEntry, listEntries, updateEntry } from "./data.handler.ts";
import {
  createdOutput, dataCodes, deletedOutput, entryInput, getOutput, keyInput, listInput, listOutput, updatedOutput,
} from "./data.schema.ts";

const tags = ["data"];
const data = protectedProcedure.meta({ fieldCodes: dataCodes });

export const dataRouter = router({
  list: data
    .meta({ openapi: { method: "GET", path: "/data", tags, summary: "List your keys, ordered by key" } })
    .input(listInput)
    .output(listOutput)
    .query(listEntries),

  create: data
    .meta({
      openapi: { method: "POST", path: "/data", tags, summary: "Store a new key" },
      successStatus: 201,
      errors: ["INVALID_KEY", "INVALID_VALUE", "KEY_EXISTS", "QUOTA_EXCEEDED"],
    })
    .input(entryInput)
    .output(createdOutput)
    .mutation(createEntry),

  get: data
    .meta({ openapi: { method: "GET", path: "/data/{key}", tags, summary: "Read a key" }, errors: ["INVALID_KEY", "KEY_NOT_FOUND"] })
    .input(keyInput)
    .output(getOutput)
    .query(getEntry),

  update: data
    .meta({
      openapi: { method: "PUT", path: "/data/{key}", tags, summary: "Replace a key's value" },
      errors: ["INVALID_KEY", "INVALID_VALUE", "KEY_NOT_FOUND"],
    })
    .input(entryInput)
    .output(updatedOutput)
    .mutation(updateEntry),

  delete: data
    .meta({ openapi: { method: "DELETE", path: "/data/{key}", tags, summary: "Delete a key" }, errors: ["INVALID_KEY", "KEY_NOT_FOUND"] })
    .input(keyInput)
    .output(deletedOutput)
    .mutation(deleteEntry),
});

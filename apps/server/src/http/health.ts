import type { Database } from "@tessera/db";
import { Router } from "express";
import { sendError } from "./send.ts";

export function health(db: Database): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => void res.json({ status: "success" }));
  router.get("/readyz", async (_req, res) => {
    try {
      await db.ping();
      res.json({ status: "success" });
    } catch {
      sendError(res, "NOT_READY", "The database does not answer.");
    }
  });
  return router;
}

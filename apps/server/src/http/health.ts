import { Router } from "express";
import { sendError } from "./send.ts";

/** `/healthz`: the process is up. `/readyz`: `isReady` (the database, and Redis when configured) answers. */
export function health(isReady: () => Promise<void>): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => void res.json({ status: "success" }));
  router.get("/readyz", async (_req, res) => {
    try {
      await isReady();
      res.json({ status: "success" });
    } catch {
      sendError(res, "NOT_READY", "A backing service does not answer.");
    }
  });
  return router;
}

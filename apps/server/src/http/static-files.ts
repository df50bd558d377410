import serveStatic from "serve-static";
import type { Request, Response } from "./send.ts";

type ServeStaticOptions = serveStatic.ServeStaticOptions<Response>;

/**
 * A folder's files under a URL prefix (serve-static, as express.static is): resolves true when it answered, false
 * when there is no such file (or the method is not GET/HEAD) so the caller can go on. `relativePath` is the
 * request path below the prefix.
 */
export function staticFiles(root: string, options: ServeStaticOptions = {}) {
  const serve = serveStatic<Response>(root, { index: false, ...options });
  return (req: Request, res: Response, relativePath: string, rawQuery: string): Promise<boolean> =>
    new Promise((resolve, reject) => {
      const url = req.url;
      // serve-static reads the path to serve from req.url, as a router mounted at the prefix would leave it.
      req.url = rawQuery === "" ? relativePath : `${relativePath}?${rawQuery}`;
      res.once("finish", () => resolve(true));
      serve(req, res, (error?: unknown) => {
        req.url = url;
        if (error) reject(error);
        else resolve(false);
      });
    });
}

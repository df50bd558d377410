import { existsSync } from "node:fs";
import path from "node:path";
import { lookup } from "mime-types";
import serveStatic from "serve-static";
import { type Encoding, preferredEncoding } from "./compression.ts";
import type { Request, Response } from "./send.ts";

type ServeStaticOptions = serveStatic.ServeStaticOptions<Response>;

const EXTENSION: Record<Encoding, string> = { br: ".br", gzip: ".gz" };

/**
 * A folder's files under a URL prefix (serve-static, as express.static is): resolves true when it answered, false
 * when there is no such file (or the method is not GET/HEAD) so the caller can go on. `relativePath` is the
 * request path below the prefix. With `precompressed`, a request that accepts brotli or gzip gets the file's `.br`
 * or `.gz` copy (written at build time) when there is one, with the original's type.
 */
export function staticFiles(root: string, options: ServeStaticOptions & { precompressed?: boolean } = {}) {
  const { precompressed = false, ...serveOptions } = options;
  const serve = serveStatic<Response>(root, { index: false, ...serveOptions });
  const encoded = serveStatic<Response>(root, {
    index: false,
    ...serveOptions,
    setHeaders(res, file) {
      serveOptions.setHeaders?.(res, file, undefined as never);
      const encoding = file.endsWith(".br") ? "br" : "gzip";
      res.setHeader("Content-Encoding", encoding);
      res.setHeader("Content-Type", lookup(file.slice(0, -EXTENSION[encoding].length)) || "application/octet-stream");
    },
  });

  /** The copy to send instead of the file, or undefined. */
  const variant = (req: Request, relativePath: string): string | undefined => {
    if (!precompressed) return undefined;
    const encoding = preferredEncoding(req);
    if (encoding === undefined) return undefined;
    const candidate = relativePath + EXTENSION[encoding];
    const file = path.join(root, decodeURIComponent(candidate));
    return file.startsWith(root + path.sep) && existsSync(file) ? candidate : undefined;
  };

  return (req: Request, res: Response, relativePath: string, rawQuery: string): Promise<boolean> =>
    new Promise((resolve, reject) => {
      const url = req.url;
      const copy = (() => {
        try {
          return variant(req, relativePath);
        } catch {
          return undefined; // a path that does not decode: serve-static answers it as it does
        }
      })();
      if (precompressed) res.setHeader("Vary", "Accept-Encoding");
      // serve-static reads the path to serve from req.url, as a router mounted at the prefix would leave it.
      const servedPath = copy ?? relativePath;
      req.url = rawQuery === "" ? servedPath : `${servedPath}?${rawQuery}`;
      res.once("finish", () => resolve(true));
      (copy ? encoded : serve)(req, res, (error?: unknown) => {
        req.url = url;
        if (error) reject(error);
        else resolve(false);
      });
    });
}

import { isIP } from "node:net";
import { type Context, createContext, type RequestInfo, type Services } from "@tessera/api";
import proxyAddr from "proxy-addr";
import type { Request } from "./send.ts";

/** How TRUST_PROXY says which address is the client's (as express's `trust proxy` setting reads the same values). */
export function trustOf(setting: boolean | number | string): (address: string, hop: number) => boolean {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting.split(",").map((value) => value.trim()));
}

/** What the front door knows of a request before any route: its id and its client's address. */
export interface RequestFacts {
  requestId: string;
  clientAddress: string;
  /** The route that answered, for the metrics: a path template or procedure path, never the raw URL. */
  route: string;
}

/**
 * The client's address: the socket's peer, or what trusted proxies forwarded. proxy-addr hands back whatever text
 * the forwarded header holds at the chosen hop, address or not; such a value is not believed, and the request
 * counts as coming from the nearest hop that is an address (the proxy that forwarded the junk).
 */
export function clientAddressOf(req: Request, trust: ReturnType<typeof trustOf>): string {
  const hops = proxyAddr.all(req, trust); // nearest first: the socket's peer, then each trusted hop's report
  for (let i = hops.length - 1; i >= 0; i--) if (isIP(hops[i]!)) return hops[i]!;
  return req.socket.remoteAddress ?? "unknown";
}

/** One header's single value (the first, if sent several times). */
export const headerValue = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * A procedure's context for a request (REST and tRPC alike). The credentials are the Authorization header, or
 * `connectionParams` where tRPC's adapter passes them (subscriptions: see ./trpc/adapter.ts).
 */
export function contextFor(services: Services, req: Request, facts: RequestFacts, extra: Partial<RequestInfo> = {}): Context {
  return createContext(services, {
    requestId: facts.requestId,
    clientAddress: facts.clientAddress,
    authorization: req.headers.authorization,
    headers: req.headers,
    // Live streams are counted per connection, and a stalled one's connection is closed (@tessera/api live-streams).
    connection: req.socket,
    ...extra,
  });
}

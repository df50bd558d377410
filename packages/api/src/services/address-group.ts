import ipaddr from "ipaddr.js";

/** Where every address that does not parse as an IP address is counted: together, the strictest choice. */
export const UNPARSED_ADDRESS_GROUP = "unparsed";

/**
 * The key a per-address limit counts a client under. Text forms of one address are one key (`2001:DB8::1`,
 * `2001:db8:0:0::1`; `::ffff:192.0.2.1` is 192.0.2.1), and an IPv6 client is counted by its /64: one subscriber
 * usually gets a whole /64 (often a /56 or /48), so counting single IPv6 addresses would give each attacker 2^64
 * fresh budgets. An IPv4 address is its own group. Anything that is not an IP address (a test's or a CLI's
 * placeholder) goes to one shared group.
 */
export function addressGroup(address: string): string {
  if (!ipaddr.isValid(address)) return UNPARSED_ADDRESS_GROUP;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  if (ip.kind() === "ipv4") return ip.toString();
  const network = (ip as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${network.join(":")}::/64`;
}

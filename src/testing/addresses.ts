/**
 * Addresses for fake resources, from ranges no real host uses: 198.18.0.0/15 (reserved for
 * benchmarking) for public IPv4 — droplets in the lower half, reserved IPs in the upper — and
 * 2001:db8::/32 (documentation) for IPv6. `n` is a counter from the state, so addresses are unique.
 */

export function dropletPublicIpv4(n: number): string {
  return ipv4FromNumber(ipv4ToNumber("198.18.0.0") + 2 + (n % 65_000));
}

export function reservedIpv4(n: number): string {
  return ipv4FromNumber(ipv4ToNumber("198.19.0.0") + 2 + (n % 65_000));
}

/** Host `n` inside a VPC's range such as `10.116.0.0/20` (skipping the network and gateway addresses). */
export function privateIpv4(ipRange: string, n: number): string {
  const [base, bits] = ipRange.split("/");
  const hosts = 2 ** (32 - Number(bits ?? 20)) - 3;
  return ipv4FromNumber(ipv4ToNumber(base ?? "10.0.0.0") + 2 + (n % hosts));
}

export function publicIpv6(n: number): string {
  return `2001:db8:0:${(n % 65_536).toString(16)}::1`;
}

/** The address as an integer: DigitalOcean reports reserved-IP actions with the IP in this form as `resource_id`. */
export function ipv4ToNumber(address: string): number {
  return address.split(".").reduce((total, octet) => total * 256 + Number(octet), 0);
}

function ipv4FromNumber(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

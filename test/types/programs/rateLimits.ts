// Rate limits: the client's latest budget, and one read from a raw response.
import { parseRateLimit, type DigitalOceanClient, type RateLimit } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ latest: RateLimit | undefined; fromResponse: RateLimit | undefined }> {
  let fromResponse: RateLimit | undefined;
  await client.account.get({ onResponse: (raw) => (fromResponse = parseRateLimit(raw)) });
  const latest = client.rateLimit;
  if (latest !== undefined && latest.remaining < 10) throw new Error(`only ${latest.remaining} requests left until ${latest.resetAt.toISOString()}`);
  return { latest, fromResponse };
}

// A droplet as DigitalOcean's API returns it (the fields and nesting of GET /v2/droplets), so
// every client parses a realistic page: 20 of these are about 30 KB of JSON.
const REGIONS = ["nyc3", "sfo3", "ams3", "fra1", "lon1", "sgp1", "tor1", "blr1"];

/** The droplet with this id (1-based). */
export function droplet(id) {
  const region = REGIONS[id % REGIONS.length];
  const octet = (n) => (id * 7 + n) % 250;
  return {
    id: 3164400 + id,
    name: `bench-web-${String(id).padStart(5, "0")}`,
    memory: 2048,
    vcpus: 2,
    disk: 60,
    disk_info: [{ type: "local", size: { amount: 60, unit: "gib" } }],
    locked: false,
    status: "active",
    kernel: null,
    created_at: "2026-05-14T09:22:13Z",
    features: ["backups", "private_networking", "ipv6", "monitoring"],
    backup_ids: [53893572, 53893573],
    next_backup_window: { start: "2026-12-02T00:00:00Z", end: "2026-12-02T23:00:00Z" },
    snapshot_ids: [67512819],
    image: {
      id: 63663980,
      name: "24.04 (LTS) x64",
      distribution: "Ubuntu",
      slug: "ubuntu-24-04-x64",
      public: true,
      regions: REGIONS,
      created_at: "2026-04-25T16:19:53Z",
      type: "base",
      min_disk_size: 15,
      size_gigabytes: 2.36,
      description: "",
      tags: [],
      status: "available",
      error_message: "",
    },
    volume_ids: [`506f78a4-e098-11e5-ad9f-000f53306ae${id % 10}`],
    size: {
      slug: "s-2vcpu-2gb",
      memory: 2048,
      vcpus: 2,
      disk: 60,
      transfer: 3,
      price_monthly: 18,
      price_hourly: 0.02679,
      regions: REGIONS,
      available: true,
      description: "Basic",
      networking_throughput: 2000,
      disk_info: [{ type: "local", size: { amount: 60, unit: "gib" } }],
    },
    size_slug: "s-2vcpu-2gb",
    networks: {
      v4: [
        { ip_address: `10.128.${octet(1)}.${octet(2)}`, netmask: "255.255.0.0", gateway: "10.128.0.1", type: "private" },
        { ip_address: `203.0.113.${octet(3)}`, netmask: "255.255.240.0", gateway: "203.0.113.1", type: "public" },
      ],
      v6: [{ ip_address: `2604:a880:0:1010::18a:${(id % 65536).toString(16)}`, netmask: 64, gateway: "2604:a880:0:1010::1", type: "public" }],
    },
    region: {
      name: "New York 3",
      slug: region,
      features: ["private_networking", "backups", "ipv6", "metadata", "install_agent", "storage", "image_transfer"],
      available: true,
      sizes: ["s-1vcpu-1gb", "s-1vcpu-2gb", "s-2vcpu-2gb", "s-2vcpu-4gb", "s-4vcpu-8gb", "c-2", "c-4", "g-2vcpu-8gb", "m-2vcpu-16gb"],
    },
    tags: ["web", "env:bench", `shard:${id % 16}`],
    vpc_uuid: "760e09ef-dc84-11e8-981e-3cfdfeaae000",
  };
}

/** The body of GET /v2/droplets?page=&per_page= over `total` droplets, links pointing at `origin`. */
export function dropletPage(origin, page, perPage, total) {
  const first = (page - 1) * perPage;
  const droplets = [];
  for (let i = first; i < Math.min(first + perPage, total); i++) droplets.push(droplet(i + 1));
  const last = Math.max(1, Math.ceil(total / perPage));
  const link = (p) => `${origin}/v2/droplets?page=${p}&per_page=${perPage}`;
  const pages = {};
  if (page > 1) Object.assign(pages, { first: link(1), prev: link(page - 1) });
  if (page < last) Object.assign(pages, { next: link(page + 1), last: link(last) });
  return JSON.stringify({ droplets, links: { pages }, meta: { total } });
}

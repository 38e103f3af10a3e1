import type { Image, Region, Size, Distribution } from "./types.js";

/**
 * The fixed world every fake starts with: regions, droplet sizes and public images. Slugs and
 * figures follow DigitalOcean's own catalog so code written against the fake uses real names;
 * `nyc2` is present but unavailable, as retired regions are, so tests can exercise that refusal.
 */

const regionFeatures = ["backups", "ipv6", "metadata", "install_agent", "storage", "image_transfer"];

const sizeFigures: readonly [slug: string, memory: number, vcpus: number, disk: number, transfer: number, priceMonthly: number, description: string][] = [
  ["s-1vcpu-512mb-10gb", 512, 1, 10, 0.5, 4, "Basic"],
  ["s-1vcpu-1gb", 1024, 1, 25, 1, 6, "Basic"],
  ["s-1vcpu-2gb", 2048, 1, 50, 2, 12, "Basic"],
  ["s-2vcpu-2gb", 2048, 2, 60, 3, 18, "Basic"],
  ["s-2vcpu-4gb", 4096, 2, 80, 4, 24, "Basic"],
  ["s-4vcpu-8gb", 8192, 4, 160, 5, 48, "Basic"],
  ["s-8vcpu-16gb", 16384, 8, 320, 6, 96, "Basic"],
  ["g-2vcpu-8gb", 8192, 2, 25, 4, 63, "General Purpose"],
  ["c-2", 4096, 2, 25, 4, 42, "CPU-Optimized"],
  ["m-2vcpu-16gb", 16384, 2, 50, 4, 84, "Memory-Optimized"],
];

const regionNames: readonly [slug: string, name: string][] = [
  ["nyc1", "New York 1"],
  ["nyc3", "New York 3"],
  ["sfo3", "San Francisco 3"],
  ["ams3", "Amsterdam 3"],
  ["sgp1", "Singapore 1"],
  ["lon1", "London 1"],
  ["fra1", "Frankfurt 1"],
  ["tor1", "Toronto 1"],
  ["blr1", "Bangalore 1"],
  ["syd1", "Sydney 1"],
];

const availableRegionSlugs = regionNames.map(([slug]) => slug);

/** Hours in DigitalOcean's billing month: hourly prices are the monthly price spread over them. */
const hoursPerMonth = 672;

export function catalogSizes(): Size[] {
  return sizeFigures.map(([slug, memory, vcpus, disk, transfer, priceMonthly, description]) => ({
    slug,
    memory,
    vcpus,
    disk,
    transfer,
    price_monthly: priceMonthly,
    price_hourly: Math.round((priceMonthly / hoursPerMonth) * 100000) / 100000,
    regions: [...availableRegionSlugs],
    available: true,
    description,
  }));
}

export function catalogRegions(): Region[] {
  const sizeSlugs = sizeFigures.map(([slug]) => slug);
  const regions: Region[] = regionNames.map(([slug, name]) => ({
    name,
    slug,
    features: [...regionFeatures],
    available: true,
    sizes: [...sizeSlugs],
  }));
  regions.push({ name: "New York 2", slug: "nyc2", features: [], available: false, sizes: [] });
  return regions;
}

const imageFigures: readonly [id: number, slug: string, name: string, distribution: Distribution, minDiskSize: number, application: boolean][] = [
  [164000001, "ubuntu-24-04-x64", "24.04 (LTS) x64", "Ubuntu", 7, false],
  [164000002, "ubuntu-22-04-x64", "22.04 (LTS) x64", "Ubuntu", 7, false],
  [164000003, "debian-12-x64", "12 x64", "Debian", 7, false],
  [164000004, "fedora-40-x64", "40 x64", "Fedora", 7, false],
  [164000005, "centos-stream-9-x64", "CentOS Stream 9 x64", "CentOS", 10, false],
  [164000006, "rockylinux-9-x64", "9 x64", "Rocky Linux", 10, false],
  [164000007, "docker-20-04", "Docker on Ubuntu 22.04", "Ubuntu", 25, true],
];

/** Slugs of one-click application images, which `GET /v2/images?type=application` selects. */
export const applicationImageSlugs: ReadonlySet<string> = new Set(
  imageFigures.filter(([, , , , , application]) => application).map(([, slug]) => slug),
);

export function catalogImages(): Image[] {
  return imageFigures.map(([id, slug, name, distribution, minDiskSize]) => ({
    id,
    name,
    type: "base",
    distribution,
    slug,
    public: true,
    regions: [...availableRegionSlugs],
    created_at: "2024-04-25T16:06:22Z",
    min_disk_size: minDiskSize,
    size_gigabytes: 2.36,
    description: `${distribution} ${name}`,
    tags: [],
    status: "available",
  }));
}

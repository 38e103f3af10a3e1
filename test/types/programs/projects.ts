// Projects: create one, assign a droplet's URN, read the default project.
import type { DigitalOceanClient, Project } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ created: Project; defaultId: string; assigned: number }> {
  const { project } = await client.projects.create({ name: "web", purpose: "Website or blog", environment: "Production" });
  const { droplet } = await client.droplets.create({ name: "web-2", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" });
  const { resources } = await client.projects.assignResources(project.id, { resources: [`do:droplet:${droplet.id}`] });
  const { project: fallback } = await client.projects.getDefault();
  return { created: project, defaultId: fallback.id, assigned: resources.length };
}

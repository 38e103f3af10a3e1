// Apps: list apps and their deployments.
import type { App, Deployment, DigitalOceanClient } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ app: App; deployments: Deployment[] }[]> {
  const result: { app: App; deployments: Deployment[] }[] = [];
  for await (const app of client.apps.list()) {
    const id: string = app.id;
    const deployments: Deployment[] = [];
    for await (const deployment of client.apps.listDeployments(id)) deployments.push(deployment);
    result.push({ app, deployments });
  }
  return result;
}

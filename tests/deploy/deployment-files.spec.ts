import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * There is no Docker engine or cluster where CI runs, so this proves what can be proved without
 * one: the compose file and the manifests parse, name every deployable app, and the Dockerfile
 * builds with the same scripts CI runs.
 */
const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Every app with a build target is deployable. */
const apps = readdirSync(path.join(root, 'apps')).filter((app) => {
  const project = path.join(root, 'apps', app, 'project.json');
  return existsSync(project) && JSON.parse(readFileSync(project, 'utf8')).targets?.build;
});

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, { build?: { dockerfile?: string; args?: { APP?: string } }; image?: string }> };

  it('runs the infrastructure', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'kafka', 'migrate']));
  });

  it.each(apps)('runs %s from the one Dockerfile with its APP build argument', (app) => {
    const service = compose.services[app];
    expect(service).toBeDefined();
    expect(service.build?.dockerfile).toBe('docker/Dockerfile');
    expect(service.build?.args?.APP).toBe(app);
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile');

  it('builds with the scripts CI runs, and runs production dependencies only as a non-root user', () => {
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).toMatch(/RUN npx nx run "\$APP":build/);
    expect(dockerfile).toMatch(/npm install --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/FROM .* AS build/);
    expect(dockerfile).toMatch(/FROM .* AS runtime/);
  });

  it('uses the Node.js version the workspace pins', () => {
    const pinned = /PAYFLOW_NODE_VERSION:-([\d.]+)/.exec(read('tools/dev/node-env.sh'))![1];
    expect(dockerfile).toContain(`ARG NODE_VERSION=${pinned}`);
  });
});

describe('k8s manifests', () => {
  const kinds = (file: string) =>
    parseAllDocuments(read(file)).map((doc) => doc.toJSON() as { kind: string; metadata: { name: string } });

  it.each(apps.filter((app) => app !== 'psp-simulator'))('deploys %s from the base with a Service and probes', (app) => {
    const docs = kinds(`k8s/base/${app}.yaml`);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([`Deployment/${app}`, `Service/${app}`]);
    expect(read('k8s/base/kustomization.yaml')).toContain(`- ${app}.yaml`);
    expect(read(`k8s/base/${app}.yaml`)).toMatch(/path: \/readyz/);
  });

  it('keeps the PSP simulator out of the base, in the local overlay only', () => {
    expect(read('k8s/base/kustomization.yaml')).not.toContain('psp-simulator');
    expect(read('k8s/overlays/local/kustomization.yaml')).toContain('psp-simulator.yaml');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.js';
import { ROOT } from '../helpers/seeds.js';

/** Docker has no engine on the test machines: these check what can be checked without one. */
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const dockerfile = read('Dockerfile');
const compose = read('docker-compose.yml');
const unit = read('deploy/paperbot.service');
const settings = new Set([...Object.keys(ConfigSchema.shape), 'NODE_ENV']);
const startArgs = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start']!.split(' ');

describe('deployment files', () => {
  it('set only variables the bot reads', () => {
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const dockerEnv = [...(/^ENV ((?:.*\\\n)*.*)$/m.exec(finalStage)?.[1] ?? '').matchAll(/([A-Z_]+)=/g)].map((m) => m[1]!);
    const composeEnv = [...(/^ {4}environment:\n((?: {6}.*\n)+)/m.exec(compose)?.[1] ?? '').matchAll(/^ {6}([A-Z_]+):/gm)].map((m) => m[1]!);
    const unitEnv = [...unit.matchAll(/^Environment=([A-Z_]+)=/gm)].map((m) => m[1]!);
    for (const names of [dockerEnv, composeEnv, unitEnv]) {
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(settings, name).toContain(name);
    }
    expect(dockerEnv).toEqual(expect.arrayContaining(['DATA_DIR', 'DIGESTS_DIR', 'HEALTH_PORT', 'HEALTH_HOST']));
  });

  it('start the bot as `npm start` does, with node itself as the process that gets SIGTERM', () => {
    expect(startArgs[0]).toBe('node');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(cmd).toEqual(startArgs);
    expect(/^ExecStart=(.*)$/m.exec(unit)?.[1]?.split(' ')).toEqual(['/usr/bin/node', ...startArgs.slice(1)]);
  });

  it('the image runs as a non-root user, keeps state in volumes, and checks its health with node', () => {
    expect(dockerfile).toMatch(/^FROM node:20[\w.-]* AS build$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data", "\/digests"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .* CMD \["node", "deploy\/healthcheck\.mjs"\]$/m);
    expect(dockerfile).toMatch(/^COPY deploy\/healthcheck\.mjs /m);
    expect(compose).toMatch(/^ {4}env_file: \.env$/m);
  });

  it('never copies secrets or local state into the image', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const path of ['.env', 'data', 'node_modules', '.git']) expect(ignored).toContain(path);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../hosts/platform/config.ts';
import { ROOT_DIR } from '../../hosts/platform/root.ts';

/**
 * Each Azure Container App manifest, started the way Azure starts it: the image's environment
 * (infra/Dockerfile `ENV`), the manifest's `env` with its Key Vault secrets and `${…}` deployment
 * values filled in, and its `args` — through the real configuration loader.
 */

type EnvEntry = { name: string; value?: string; secretRef?: string };
type Manifest = {
  properties: {
    configuration: { secrets?: { name: string }[] };
    template: { containers: { args: string[]; env: EnvEntry[] }[] };
  };
};

/** what each Key Vault secret holds in a real deployment (shape only) */
const SECRET_VALUES: Record<string, string> = {
  'database-url': 'postgres://zeta:pw@zeta-db.postgres.database.azure.com:5432/zeta?sslmode=require',
  'redis-url': 'rediss://:pw@zeta-cache.redis.cache.windows.net:6380/0',
  'openai-api-key': 'sk-test-0000000000000000',
  'telegram-bot-token': '123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq',
  'telegram-webhook-secret': 'telegram-secret-0123456789abcdef',
  'whatsapp-token': 'EAAG-whatsapp-token',
  'whatsapp-phone-id': '109876543210987',
  'whatsapp-verify-token': 'verify-0123456789abcdef',
  'whatsapp-app-secret': 'app-secret-0123456789abcdef',
  'jwt-secret': '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'secrets-key': '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'admin-password': 'a-long-owner-password',
  'metrics-token': 'metrics-token-0123456789abcdef',
};
/** the `${…}` placeholders the deployment fills in */
const DEPLOYMENT_VALUES: Record<string, string> = {
  SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
  ACR_NAME: 'zetaacr',
  KEY_VAULT: 'zeta-kv',
  IMAGE_TAG: 'sha',
  PUBLIC_BASE_URL: 'https://bot.example.kz',
  ADMIN_EMAIL: 'owner@example.kz',
};

const fill = (text: string) =>
  text.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    const value = DEPLOYMENT_VALUES[name];
    if (value === undefined) throw new Error(`unknown deployment placeholder \${${name}}`);
    return value;
  });

function imageEnv(): Record<string, string> {
  const dockerfile = readFileSync(join(ROOT_DIR, 'infra', 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of runtime.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/([A-Z_]+)=(\S+)/g)) env[name!] = value!;
  }
  return env;
}

const dir = join(ROOT_DIR, 'infra', 'azure');
const manifests = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe.each(manifests)('%s', (file) => {
  const manifest = parse(fill(readFileSync(join(dir, file), 'utf8'))) as Manifest;
  const container = manifest.properties.template.containers[0]!;
  const declared = new Set((manifest.properties.configuration.secrets ?? []).map((s) => s.name));
  const env: Record<string, string> = { ...imageEnv() };
  for (const entry of container.env) {
    if (entry.secretRef !== undefined) {
      expect(declared.has(entry.secretRef), `secret ${entry.secretRef} is declared`).toBe(true);
      const value = SECRET_VALUES[entry.secretRef];
      if (value === undefined) throw new Error(`unknown secret ${entry.secretRef}`);
      env[entry.name] = value;
    } else env[entry.name] = String(entry.value ?? '');
  }

  it('starts in production with its role: every channel complete, client IPs from the ingress, no demo data', () => {
    expect(env.NODE_ENV).toBe('production');
    const config = loadConfig(env, container.args);
    expect(config.role).toBe(container.args[1]);
    expect(config.production).toBe(true);
    expect(config.demoData).toBe(false);
    expect(config.admin.trustProxy).toBe(true);
    expect(config.publicBaseUrl).toBe('https://bot.example.kz');
    expect(config.admin.email).toBe('owner@example.kz');
    expect(config.whatsapp).toMatchObject({
      phoneNumberId: SECRET_VALUES['whatsapp-phone-id'],
      verifyToken: SECRET_VALUES['whatsapp-verify-token'],
    });
    expect(config.metricsToken).toBe(SECRET_VALUES['metrics-token']);
  });
});

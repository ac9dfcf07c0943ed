import { api } from '../api/client.ts';

/**
 * What the running server offers, read once from its OpenAPI document, so optional screens
 * (e.g. the playground's message log) switch on only when the route exists.
 */
let paths: Promise<Set<string>> | undefined;

export function apiPaths(): Promise<Set<string>> {
  paths ??= api
    .get<{ paths?: Record<string, Record<string, unknown>> }>('/openapi.json')
    .then((doc) => new Set(Object.entries(doc.paths ?? {}).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))))
    .catch(() => new Set<string>());
  return paths;
}

/** `hasRoute('GET', '/conversations/{key}/messages')` — the OpenAPI path form, without the /api prefix */
export async function hasRoute(method: string, path: string): Promise<boolean> {
  const all = await apiPaths();
  return all.has(`${method.toUpperCase()} ${path}`) || all.has(`${method.toUpperCase()} /api${path}`);
}

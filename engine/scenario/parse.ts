import * as v from 'valibot';
import { LANGS } from '../catalog.ts';
import type { IntentName } from '../intent.ts';
import { durationMs } from './duration.ts';
import { DEFAULT_ROUTING, INTENT_NAMES, ROUTE_NEEDS_INTENT, ROUTES, type Route } from './routes.ts';
import { checkFlows, tooManySteps } from './flows.ts';
import { checkIntentExamples, toScenarioIntents } from './intents.ts';
import { RawScenarioSchema, type Scenario } from './schema.ts';
import { placeholdersOf, TEXT_KEYS, TEXT_KEY_NAMES } from './textKeys.ts';

export type ScenarioError = { path: string; message: string };
export type ParseScenarioResult = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] };

const isIntent = (name: string): name is IntentName => (INTENT_NAMES as readonly string[]).includes(name);
const isRoute = (name: string): name is Route => (ROUTES as readonly string[]).includes(name);

/**
 * Validates a scenario (already read from YAML/JSON by the host) and checks every reference:
 * menu actions, routing targets, that each text the machines use exists in every language and
 * uses only the placeholders it may. Pure; never throws.
 */
export function parseScenario(raw: unknown): ParseScenarioResult {
  const oversized = tooManySteps(raw);
  if (oversized) return { ok: false, errors: [oversized] };
  const parsed = v.safeParse(RawScenarioSchema, raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '(root)', message: issue.message })),
    };
  }
  const s = parsed.output;
  const errors: ScenarioError[] = [];

  const routing: Record<IntentName, Route> = { ...DEFAULT_ROUTING };
  for (const [intent, route] of Object.entries(s.routing)) {
    const path = `routing.${intent}`;
    if (!isIntent(intent))
      errors.push({ path, message: `unknown intent "${intent}" (known: ${INTENT_NAMES.join(', ')})` });
    else if (!isRoute(route)) errors.push({ path, message: `unknown route "${route}" (known: ${ROUTES.join(', ')})` });
    else {
      const needs = ROUTE_NEEDS_INTENT[route];
      if (needs && needs !== intent)
        errors.push({
          path,
          message: `route "${route}" reads the arguments of "${needs}" and cannot follow "${intent}"`,
        });
      else routing[intent] = route;
    }
  }

  for (const lang of LANGS) {
    const texts = s.texts[lang];
    for (const key of TEXT_KEY_NAMES) {
      const text = texts[key];
      if (text === undefined || text.trim() === '') {
        errors.push({ path: `texts.${lang}.${key}`, message: 'missing text' });
        continue;
      }
      const allowed: readonly string[] = TEXT_KEYS[key];
      for (const name of placeholdersOf(text)) {
        if (!allowed.includes(name)) {
          errors.push({
            path: `texts.${lang}.${key}`,
            message: `unknown placeholder {${name}}${allowed.length ? ` (allowed: ${allowed.map((a) => `{${a}}`).join(' ')})` : ' (this text takes none)'}`,
          });
        }
      }
    }
    for (const [key, text] of Object.entries(texts)) {
      if (key in TEXT_KEYS) continue;
      for (const name of placeholdersOf(text))
        errors.push({
          path: `texts.${lang}.${key}`,
          message: `unknown placeholder {${name}} (designer texts take none)`,
        });
    }
  }

  const seen = new Set<string>();
  s.menu.forEach((item, i) => {
    if (seen.has(item.id)) errors.push({ path: `menu.${i}.id`, message: `duplicate menu id "${item.id}"` });
    seen.add(item.id);
    if (item.action.flow === 'info') {
      for (const lang of LANGS) {
        if (!s.texts[lang][item.action.text])
          errors.push({
            path: `menu.${i}.action.text`,
            message: `text "${item.action.text}" is missing in texts.${lang}`,
          });
      }
    }
  });

  const idle = durationMs(s.timers.idleFollowUp);
  const sla = durationMs(s.timers.managerSla);
  if (idle === null)
    errors.push({ path: 'timers.idleFollowUp', message: 'expected minutes or an ISO 8601 duration such as PT30M' });
  if (sla === null)
    errors.push({ path: 'timers.managerSla', message: 'expected minutes or an ISO 8601 duration such as PT10M' });
  const silence = durationMs(s.timers.escalationSilence);
  if (silence === null)
    errors.push({ path: 'timers.escalationSilence', message: 'expected minutes or an ISO 8601 duration such as PT2H' });

  const intents = toScenarioIntents(s.intents);
  errors.push(...checkIntentExamples(intents));
  const designer = checkFlows(s.flows, {
    menu: s.menu,
    intents,
    afterResolved: s.escalation.afterResolved,
  });
  errors.push(...designer.errors);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    scenario: {
      id: s.id,
      version: s.version,
      name: s.name ?? s.id,
      defaultLang: s.defaultLang,
      autoSwitchLanguage: s.autoSwitchLanguage,
      languageNames: s.languageNames,
      context: { telegram: s.context.telegram, whatsapp: s.context.whatsapp, web: s.context.web },
      search: { pageSize: s.search.pageSize, relaxOrder: s.search.relaxOrder, cheaperFactor: s.search.cheaperFactor },
      recommend: { limit: s.recommend.limit },
      escalation: {
        maxFailedTurns: s.escalation.maxFailedTurns,
        onAngry: s.escalation.onAngry,
        ...(s.escalation.afterResolved !== undefined ? { afterResolved: s.escalation.afterResolved } : {}),
      },
      timers: { idleFollowUpMs: idle ?? 0, managerSlaMs: sla ?? 0, escalationSilenceMs: silence ?? 0 },
      alerts: { allowTargetPrice: s.alerts.allowTargetPrice, digestCards: s.alerts.digestCards },
      limits: {
        messagesPerMinute: s.limits.messagesPerMinute,
        modelCallsPerDay: s.limits.modelCallsPerDay,
        tooManyMessages: s.limits.tooManyMessages,
      },
      routing,
      intents,
      menu: s.menu,
      texts: s.texts,
      flows: designer.flows,
    },
  };
}

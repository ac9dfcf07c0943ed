import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The shipped designer flows and intents (scenarios/default.yaml `flows:` and `intents:`) are data
 * only: no code of the platform (engine, hosts, storage, the panel, infra with the benchmark;
 * comments aside) names one of them or carries one of their texts, so a designer can rename,
 * reword or delete any of them (the checkout flow keeps its name, which the engine starts). Tests,
 * testing helpers and browser tests drive them on purpose.
 */
const root = new URL('../../', import.meta.url);

function platformSources(): string[] {
  const out = execFileSync('git', ['ls-files', 'engine', 'hosts', 'storage', 'admin/src', 'infra'], {
    cwd: root,
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter(
      (f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.includes('/testing/') && !f.includes('/e2e/'),
    );
}

/** the code without its comments (a `//` after `:` or inside a quote is a URL or a string, kept) */
const codeOf = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');

/** every string literal of the code */
const literalsOf = (code: string) => [...code.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) => m[2]!);

type PerLang = { ru: string; kk: string; en: string };
type Step = {
  say?: PerLang;
  ask?: { text: PerLang; reask: PerLang; choices?: { label: PerLang }[] };
  buttons?: { label: PerLang }[];
  act?: { remind?: { text: PerLang } };
};

function shipped() {
  const scenario = parse(readFileSync(new URL('scenarios/default.yaml', root), 'utf8')) as {
    flows: Record<string, { steps: Step[] }>;
    intents: Record<string, { examples: Record<string, string[]> }>;
  };
  // `checkout` is the one flow the engine starts by name («🧾 Оформить заказ»): its name is the contract, its steps are data
  const names = [...new Set([...Object.keys(scenario.flows), ...Object.keys(scenario.intents)])].filter(
    (name) => name !== 'checkout',
  );
  const perLang = (t: PerLang | undefined) => (t ? [t.ru, t.kk, t.en] : []);
  const texts = Object.values(scenario.flows).flatMap(({ steps }) =>
    steps.flatMap((s) => [
      ...perLang(s.say),
      ...perLang(s.ask?.text),
      ...perLang(s.ask?.reask),
      ...(s.ask?.choices ?? []).flatMap((c) => perLang(c.label)),
      ...(s.buttons ?? []).flatMap((b) => perLang(b.label)),
      ...perLang(s.act?.remind?.text),
    ]),
  );
  const examples = Object.values(scenario.intents).flatMap((i) => Object.values(i.examples).flat());
  return { names, texts: [...new Set([...texts, ...examples])] };
}

describe('shipped designer flows and intents are data only', () => {
  const { names, texts } = shipped();
  const sources = platformSources().map((file) => ({ file, code: codeOf(readFileSync(new URL(file, root), 'utf8')) }));

  it('finds what it looks for', () => {
    expect(names).toEqual(
      expect.arrayContaining(['measure', 'installment', 'assembly', 'satisfaction', 'call_measurer']),
    );
    expect(texts.length).toBeGreaterThan(30);
    expect(sources.length).toBeGreaterThan(100);
    // the scan would see a name used as a state path, a button id or a plain string
    expect(literalsOf(codeOf(`const a = 'flows.measure'; // 'call_measurer'\nconst b = "menu:measure";`))).toEqual([
      'flows.measure',
      'menu:measure',
    ]);
  });

  it('no platform code names a shipped flow or intent', () => {
    const named = (literal: string, name: string) =>
      literal === name || new RegExp(`(^|[.:/])${name}([.:/]|$)`).test(literal);
    const found = sources.flatMap(({ file, code }) =>
      literalsOf(code).flatMap((literal) => names.filter((n) => named(literal, n)).map((n) => `${file}: ${n}`)),
    );
    expect(found).toEqual([]);
  });

  it('no platform code carries a shipped flow text or intent example', () => {
    const found = sources.flatMap(({ file, code }) => {
      const lower = code.toLowerCase();
      return texts.filter((t) => t.length >= 8 && lower.includes(t.toLowerCase())).map((t) => `${file}: ${t}`);
    });
    expect(found).toEqual([]);
  });
});

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatReplay, parseTranscript, replayTranscript } from '../../engine/transcript/index.ts';
import { botiumConfig, drivablePart, replayedTurns, toConvo } from './botium.ts';
import { fixtureTarget, type Fixtures } from './fixtures.ts';

export type BotiumExportOptions = { dir: string; baseUrl: string; token: string };
/** `stop`: the convo holds the turns before this one (a turn Botium cannot drive) */
export type BotiumExportReport = {
  written: { file: string; suite: string; stop?: string }[];
  skipped: { file: string; reason: string }[];
};

/**
 * Writes `<dir>/<city>.<lang>/<name>.convo.txt` for every transcript Botium can drive through
 * `/api/chat`, plus a `botium.json` in each of those directories (the city is in the URL, the
 * shopper's starting language in the body). Each transcript is replayed on the web channel
 * first: the convo holds the replies it gave there, one `#bot` per reply, so a live server is
 * held to the same answers. A transcript is exported up to its first turn Botium cannot drive
 * (a photo, a manager's answer, time passing…); one whose first turn is such is skipped, with why.
 */
export async function exportBotium(
  files: readonly string[],
  fixtures: Fixtures,
  o: BotiumExportOptions,
): Promise<BotiumExportReport> {
  const report: BotiumExportReport = { written: [], skipped: [] };
  const suites = new Set<string>();
  for (const file of files) {
    const name = basename(file);
    const parsed = parseTranscript(await readFile(file, 'utf8'), name);
    if (!parsed.ok) {
      report.skipped.push({
        file: name,
        reason: `cannot be read: ${parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`,
      });
      continue;
    }
    const transcript = parsed.transcript;
    const { turns, stop } = drivablePart(transcript);
    if (turns.length === 0) {
      report.skipped.push({ file: name, reason: stop ?? 'has no turns' });
      continue;
    }
    const web = { ...transcript, turns, header: { ...transcript.header, channel: 'web' as const } };
    const result = await replayTranscript(web, fixtureTarget(fixtures).target);
    if (!result.ok) {
      report.skipped.push({ file: name, reason: `does not pass on the web channel:\n${formatReplay(result, name)}` });
      continue;
    }
    const { city, lang } = transcript.header;
    const suite = `${city}.${lang}`;
    const out = join(o.dir, suite);
    if (!suites.has(suite)) {
      await mkdir(out, { recursive: true });
      await writeFile(
        join(out, 'botium.json'),
        `${JSON.stringify(botiumConfig({ baseUrl: o.baseUrl, city, lang, token: o.token }), null, 2)}\n`,
      );
      suites.add(suite);
    }
    const convoFile = join(out, name.replace(/\.transcript$/, '.convo.txt'));
    await writeFile(convoFile, toConvo(transcript.title || name, replayedTurns(result.turns)));
    report.written.push({ file: convoFile, suite, ...(stop ? { stop } : {}) });
  }
  return report;
}

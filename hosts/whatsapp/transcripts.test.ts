import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatReplay, parseTranscript, replayTranscript } from '../../engine/transcript/index.ts';
import {
  collectTranscripts,
  fixtureTarget,
  loadFixtures,
  SCENARIOS_DIR,
  TRANSCRIPTS_DIR,
  type Fixtures,
} from '../cli/fixtures.ts';
import { createWhatsAppTarget } from './testing/transcriptTarget.ts';

/**
 * Every recorded transcript replays through the WhatsApp host: signed webhooks → runtime →
 * engine → renderer → fake Graph API → back to channel-neutral replies. The WhatsApp host may
 * add no failure of its own: a turn may fail only where the pure-engine replay fails too (the
 * transcripts marked `@ known-issue`), or where WhatsApp's own rule applies — a proactive
 * message after more than 24 hours of silence goes out as the approved template.
 */
const files = await collectTranscripts([TRANSCRIPTS_DIR]);
let fixtures: Fixtures;
beforeAll(async () => {
  fixtures = await loadFixtures();
});

describe('transcripts through the WhatsApp host', () => {
  it('found the transcripts', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  it.each(files.map((f) => [basename(f), f]))(
    '%s',
    async (name, file) => {
      const parsed = parseTranscript(await readFile(file, 'utf8'), name);
      if (!parsed.ok) throw new Error(parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('\n'));
      const engine = await replayTranscript(parsed.transcript, fixtureTarget(fixtures).target);
      const engineFails = new Set(engine.failures.map((t) => t.turn.line));
      const whatsapp = await replayTranscript(
        parsed.transcript,
        createWhatsAppTarget({ ...fixtures, scenariosDir: SCENARIOS_DIR }),
      );
      const own = whatsapp.failures.filter(
        (t) => !engineFails.has(t.turn.line) && !t.notes.some((n) => n.startsWith('template ')),
      );
      expect(
        own.map((t) => t.turn.line),
        formatReplay(whatsapp, name),
      ).toEqual([]);
      // an error (crash, webhook refused) is never explained away
      expect(
        whatsapp.turns.filter((t) => /^(whatsapp target|the target threw)/.test(t.problem ?? '')).map((t) => t.problem),
      ).toEqual([]);
    },
    30_000,
  );
});

describe('a shared contact through the WhatsApp host', () => {
  const replayBoth = async (text: string) => {
    const parsed = parseTranscript(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const engine = await replayTranscript(parsed.transcript, fixtureTarget(fixtures).target);
    const whatsapp = await replayTranscript(
      parsed.transcript,
      createWhatsAppTarget({ ...fixtures, scenariosDir: SCENARIOS_DIR }),
    );
    return { engine, whatsapp };
  };

  it("taps the «📱» button for the sender's own number, shares a card for someone else's, as the engine target gives them", async () => {
    const { engine, whatsapp } = await replayBoth(
      '# contacts\n@ phone +77011234567\n> [contact +77011234567]\n> [contact +77019998877 other]\n',
    );
    expect(whatsapp.turns.map((t) => t.problem)).toEqual([undefined, undefined]);
    expect(whatsapp.turns.map((t) => t.actual)).toEqual(engine.turns.map((t) => t.actual));
  }, 30_000);

  it('says how to replay an own number the shopper does not write from', async () => {
    const { whatsapp } = await replayBoth('# contacts\n> [contact +77011234567]\n');
    expect(whatsapp.turns[0]!.problem).toContain('add "@ phone +77011234567" to the header');
  }, 30_000);
});

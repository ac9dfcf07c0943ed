import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { formatPrice, type Channel, type Lang, CHANNELS, LANGS } from '../../engine/catalog.ts';
import type { Option, Reply } from '../../engine/replies.ts';
import {
  everything,
  externalOnly,
  parseTranscript,
  RecordedQueue,
  TranscriptRecorder,
  type Action,
  type EffectLog,
  type TargetAction,
  type TranscriptHeader,
} from '../../engine/transcript/index.ts';
import { fixtureTarget, loadFixtures, ScenarioLoadError, type Fixtures } from './fixtures.ts';
import type { SearchCriteria } from '../../engine/catalog.ts';
import { openDatabase } from '../../storage/db/open.ts';
import { countProducts } from '../../storage/repos/products.ts';
import { loadTaxonomy } from '../../storage/taxonomy/index.ts';
import { buildVocabulary } from '../../engine/understanding/index.ts';
import { seedDemoData } from '../../storage/seed/index.ts';
import { CityDirectory } from '../platform/cities.ts';
import { catalogPort } from '../platform/ports/catalog.ts';
import { withCatalog } from './catalogExecutor.ts';

/**
 * `npm run chat`: a terminal conversation with the engine on the fixture catalog.
 * Lines are read like transcript lines: plain text, `/start`, `[tap] p:SOFA-001`, `[tap "Ещё"]`,
 * `#2` (the second button shown), `[photo] fixtures/images/tag-sofa-001.png`, `[voice] …`,
 * `~ 30m` (time passes), `! manager: …`, `! manager resolves`, `! admin: price SOFA-001 = 220000`.
 * `/save <file>` writes the session as a transcript, `/quit` leaves (with `--record <file>`, saving too).
 */

const USAGE = `usage: npm run chat -- [--record <file>] [--lang ru|kk|en] [--channel telegram|whatsapp|web] [--city almaty]
                        [--no-vision] [--no-voice] [--title "…"] [--db] [--scenario <file.yaml|json>]
--scenario: talk to a scenario file that is saved nowhere (a designer's draft); default scenarios/default.yaml`;

type Args = {
  record?: string;
  lang: Lang;
  channel: Channel;
  city: string;
  vision: boolean;
  voice: boolean;
  title: string;
  db: boolean;
  scenario?: string;
};

function parseArgs(argv: string[]): Args | string {
  const args: Args = {
    lang: 'ru',
    channel: 'telegram',
    city: 'almaty',
    vision: true,
    voice: true,
    title: 'Recorded chat session',
    db: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => argv[++i] ?? '';
    switch (flag) {
      case '--record':
        args.record = value();
        break;
      case '--lang': {
        const l = value();
        if (!(LANGS as readonly string[]).includes(l)) return `--lang must be one of ${LANGS.join(', ')}`;
        args.lang = l as Lang;
        break;
      }
      case '--channel': {
        const c = value();
        if (!(CHANNELS as readonly string[]).includes(c)) return `--channel must be one of ${CHANNELS.join(', ')}`;
        args.channel = c as Channel;
        break;
      }
      case '--city':
        args.city = value();
        break;
      case '--title':
        args.title = value();
        break;
      case '--no-vision':
        args.vision = false;
        break;
      case '--no-voice':
        args.voice = false;
        break;
      case '--db':
        args.db = true;
        break;
      case '--scenario': {
        const file = value();
        if (!file || file.startsWith('-')) return `--scenario needs a file\n${USAGE}`;
        args.scenario = file;
        break;
      }
      case '--help':
      case '-h':
        return USAGE;
      default:
        return `unknown argument ${flag}\n${USAGE}`;
    }
  }
  return args;
}

/**
 * The demo (or any) catalog from the database the server uses: DATABASE_URL, or the embedded one
 * in DATA_DIR (stop `npm start` first — PGlite is single-process). Seeds demo data when empty.
 */
async function openCatalog(city: string) {
  const opened = await openDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATA_DIR || '.data',
  });
  await seedDemoData(opened.db);
  const cities = new CityDirectory(opened.db);
  await cities.reload();
  if (!cities.bySlug(city)) {
    await opened.close();
    throw new Error(
      `chat: no city "${city}" in the database (known: ${cities
        .list()
        .map((c) => c.slug)
        .join(', ')})`,
    );
  }
  const port = catalogPort(opened, cities);
  return {
    kind: opened.kind,
    count: await countProducts(opened.db, cities.bySlug(city)!.id),
    /** the database's own categories, colours and materials, as the server reads them */
    vocabulary: buildVocabulary(await loadTaxonomy(opened.db)),
    catalog: {
      search: (criteria: SearchCriteria, page: number, pageSize: number) => port.search(city, criteria, page, pageSize),
      findSku: (sku: string) => port.bySku(city, sku),
    },
    close: () => opened.close(),
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.log(args);
    return args === USAGE ? 0 : 2;
  }
  let fixtures: Fixtures;
  try {
    fixtures = await loadFixtures(args.scenario);
  } catch (error) {
    if (!(error instanceof ScenarioLoadError)) throw error;
    console.error(`chat: ${error.message}`);
    return 2;
  }
  const logs: EffectLog[] = [];
  const database = args.db ? await openCatalog(args.city) : undefined;
  const { target } = fixtureTarget(
    fixtures,
    (log) => logs.push(log),
    database ? (host) => withCatalog(host, database.catalog) : undefined,
    database?.vocabulary,
  );
  let clock = Math.floor(Date.now() / 1000) * 1000;
  const header: TranscriptHeader = {
    city: args.city,
    channel: args.channel,
    lang: args.lang,
    at: new Date(clock).toISOString(),
    vision: args.vision,
    voice: args.voice,
    extra: {},
  };
  await target.start(header);
  const recorder = new TranscriptRecorder(header, args.title, args.db ? everything : externalOnly);
  let options: Option[] = [];

  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  const prompt = () => {
    if (interactive) rl.prompt();
  };
  rl.setPrompt('вы › ');
  console.log(
    `ZETA chat · ${fixtures.scenario.name}${args.scenario ? ` (${args.scenario}, not saved anywhere)` : ''} · ${args.channel}/${args.city}/${args.lang} · ${database ? `${database.count} products (${database.kind} database)` : `${fixtures.catalog.length} products (fixture catalog)`}`,
  );
  console.log('Type a message, /start, #N to tap a button, ~ 30m to let time pass, /save <file>, /quit.');
  prompt();

  const save = async (file: string) => {
    await writeFile(file, recorder.text(), 'utf8');
    console.log(`  · saved ${recorder.turnCount} turns to ${file}`);
  };

  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) {
      prompt();
      continue;
    }
    if (line === '/quit' || line === '/exit') break;
    if (line.startsWith('/save')) {
      const file = line.slice(5).trim() || args.record;
      if (!file) console.log('  · /save needs a file name');
      else await save(file);
      prompt();
      continue;
    }
    const action = readAction(line, options);
    if (typeof action === 'string') {
      console.log(`  · ${action}`);
      prompt();
      continue;
    }
    if (action.kind === 'wait') clock += action.ms;
    const at = new Date(clock).toISOString();
    if (action.kind !== 'wait') clock += 1000;
    logs.length = 0;
    const output = await target.perform(action, { at, recorded: new RecordedQueue([]) });
    recorder.add(action as Action, output, logs);
    const shown = show(output.replies);
    if (shown.length > 0) options = shown;
    for (const note of output.notes ?? []) console.log(`  · ${note}`);
    if (output.error) console.log(`  ! ${output.error}`);
    prompt();
  }
  rl.close();
  if (args.record) await save(args.record);
  await database?.close();
  return 0;
}

/** A typed line as a transcript action; `#N` taps the N-th button shown last. */
function readAction(line: string, options: readonly Option[]): TargetAction | string {
  const numbered = /^#(\d+)$/.exec(line);
  if (numbered) {
    const option = options[Number(numbered[1]) - 1];
    return option ? { kind: 'tap', id: option.id } : `no button #${numbered[1]}`;
  }
  const source = /^[~!]/.test(line) ? line : `> ${line}`;
  const parsed = parseTranscript(source);
  if (!parsed.ok) return parsed.errors.map((e) => e.message).join('; ');
  const action = parsed.transcript.turns[0]!.action;
  if (action.kind === 'tapLabel') {
    const option = options.find((o) => o.label.toLowerCase() === action.label.toLowerCase());
    return option ? { kind: 'tap', id: option.id } : `no button labelled "${action.label}"`;
  }
  return action;
}

/** Prints replies for a terminal; returns the buttons in the order they were numbered. */
function show(replies: readonly Reply[]): Option[] {
  const numbered: Option[] = [];
  const button = (o: Option) => {
    numbered.push(o);
    return `[#${numbered.length} ${o.label}]`;
  };
  for (const reply of replies) {
    switch (reply.type) {
      case 'text':
        console.log(indent(reply.text));
        break;
      case 'products':
        for (const item of reply.items) {
          const stock = item.available ? '' : ' (нет в наличии)';
          console.log(`  🛋 ${item.name} — ${formatPrice(item.price, item.currency)} · ${item.sku}${stock}`);
          if (reply.view === 'detail' && item.description) console.log(indent(item.description, '     '));
          if (item.options?.length) console.log(`     ${item.options.map(button).join(' ')}`);
        }
        break;
      case 'choices':
        if (reply.text) console.log(indent(reply.text));
        console.log(`  ${reply.options.map(button).join(' ')}`);
        break;
      case 'image':
        console.log(`  🖼 ${reply.url}${reply.caption ? ` — ${reply.caption}` : ''}`);
        break;
    }
  }
  return numbered;
}

function indent(text: string, pad = '  '): string {
  return text
    .split('\n')
    .map((l) => `${pad}${l}`)
    .join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);

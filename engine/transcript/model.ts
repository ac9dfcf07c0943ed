import type { Channel, Lang } from '../catalog.ts';
import type { EffectType } from '../effects.ts';

/**
 * A transcript is a recorded conversation that can be replayed: the shopper's actions, what the
 * world did around them (time, managers, admins), the recorded results of external effects, and
 * what the bot is expected to say. See scenarios/transcripts/README.md for the text format.
 */

export type TranscriptHeader = {
  city: string;
  channel: Channel;
  lang: Lang;
  /** the virtual clock at the first line (ISO 8601) */
  at: string;
  /** `vision off`: describeImage answers null (no vision provider) */
  vision: boolean;
  /** `voice off`: transcribe answers null (no transcription provider) */
  voice: boolean;
  /** other `@ key value` pairs, kept for hosts that understand them */
  extra: Record<string, string>;
};

/** one row of an import: the SKU with its new price and/or availability (neither: re-imported unchanged) */
export type ImportRow = { sku: string; price?: number; available?: boolean };
export type AdminAction =
  | { kind: 'price'; sku: string; price: number }
  | { kind: 'stock'; sku: string; available: boolean }
  | { kind: 'catalogImport'; rows: ImportRow[] };

/** What happens at the start of a turn. */
export type Action =
  | { kind: 'text'; text: string }
  | { kind: 'command'; command: string; args?: string }
  | { kind: 'tap'; id: string }
  /** a tap by the visible label; the driver resolves it to an option id from earlier replies */
  | { kind: 'tapLabel'; label: string }
  | { kind: 'photo'; ref: string; caption?: string }
  | { kind: 'voice'; ref: string }
  | { kind: 'location'; latitude: number; longitude: number }
  /** a phone number shared: the shopper's own (the channel vouches for it) or someone else's */
  | { kind: 'contact'; phone: string; own: boolean }
  | { kind: 'unsupported'; what: string }
  | { kind: 'wait'; ms: number; spec: string }
  | { kind: 'managerReply'; text: string; name?: string }
  | { kind: 'managerResolve' }
  | { kind: 'admin'; admin: AdminAction };

/** Action with labels resolved: what a target actually performs. */
export type TargetAction = Exclude<Action, { kind: 'tapLabel' }>;

/** A recorded effect result: `= readImage "Артикул: SOFA-001"`, `= understand {...}`, `= search !fail timeout`. */
export type Recorded = {
  effect: EffectType;
  /** parsed JSON when the value was JSON, otherwise the trimmed raw text */
  value: unknown;
  /** `!fail reason`: the effect failed (→ `effect.failed`) */
  failure?: string;
  line: number;
  source: string;
};

export type Expectation =
  | { kind: 'exact'; text: string }
  | { kind: 'contains'; text: string }
  | { kind: 'regex'; pattern: string; flags: string }
  | { kind: 'products'; view: 'list' | 'detail'; skus: string[]; mode: 'exact' | 'contains' | 'any' }
  | { kind: 'choices'; labels: string[]; mode: 'exact' | 'contains' }
  | { kind: 'image'; url?: string }
  /** `< ...`: any number of reply lines (including none) */
  | { kind: 'any' }
  /** `< (silence)`: the bot says nothing this turn */
  | { kind: 'silence' };

export type ExpectLine = Expectation & { line: number; source: string };

export type Turn = {
  line: number;
  source: string;
  action: Action;
  recorded: Recorded[];
  /** empty: the turn's replies are not checked */
  expects: ExpectLine[];
  /** comment lines directly above the action, kept by the printer */
  comments: string[];
};

export type Transcript = {
  title: string;
  header: TranscriptHeader;
  turns: Turn[];
  file?: string;
};

/** One reply as a transcript line sees it (a `choices` reply with text is two lines). */
export type ActualLine =
  | { kind: 'text'; text: string }
  | { kind: 'products'; view: 'list' | 'detail'; skus: string[] }
  | { kind: 'choices'; labels: string[]; ids: string[] }
  | { kind: 'image'; url: string; caption?: string };

export type ParseError = { line: number; message: string };

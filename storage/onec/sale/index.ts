import type { Db } from '../../repos/common.ts';
import { addToReport, openSession, touchSession, type OnecSession } from '../sessions.ts';
import { CommerceMlError, checkSchemaVersion } from '../xml/reader.ts';
import { XmlEncodingError } from '../xml/decode.ts';
import type { Answer } from '../exchange.ts';
import { exchangePath } from '../names.ts';
import { applyOrderUpdates, emptySummary, recordUpdate, type UpdatesSummary } from './applyUpdates.ts';
import { saleDocument } from './document.ts';
import { markExported, ordersToExport, rememberQuery } from './exports.ts';
import { readOrderUpdates } from './readUpdates.ts';
import { encodeDocument, type SaleEncoding } from './xmlText.ts';

/**
 * The orders half of the 1C site exchange (`type=sale`), one method per `mode`: `query` answers
 * the city's new and changed orders as a CommerceML document, `success` marks exactly those
 * exported, `file` (and `import`, which 1C may or may not send after it) reads 1C's status
 * updates and applies them to the orders. Sessions are the catalog's (cookie, hash, replicas)
 * with kind `sale`.
 */
export type SaleSettings = {
  /** bytes one `file` request may carry */
  fileLimit: number;
  /** CommerceML version to answer in when 1C names none */
  defaultSchemaVersion: string;
  encoding: SaleEncoding;
  /** `Валюта` as 1C knows the city's currency; unset: the order's ISO code */
  currency: (cityId: string) => string | undefined;
  timezone: (cityId: string) => string;
};

const failure = (reason: string): Answer => ({ status: 'failure', lines: [reason] });

export class OnecSale {
  constructor(
    private readonly db: Db,
    private readonly settings: SaleSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async checkauth(
    cityId: string,
    idleMs: number,
  ): Promise<{ ok: true; token: string } | { ok: false; reason: string }> {
    const opened = await openSession(this.db, cityId, this.clock(), idleMs, 'sale');
    return opened.ok ? { ok: true, token: opened.token } : opened;
  }

  /** `version=` as 1C sends it at init (or any later request); refused when no 2.x we write */
  async init(session: OnecSession, version: string | undefined): Promise<Answer> {
    const ended = this.#ended(session);
    if (ended) return ended;
    const problem = version === undefined ? undefined : checkSchemaVersion(version);
    if (problem) return failure(`${problem}; the orders exchange writes 2.04–2.10`);
    await this.db
      .updateTable('onec_sessions')
      .set({ last_seen_at: this.clock(), ...(version ? { schema_version: version.trim() } : {}) })
      .where('id', '=', session.id)
      .execute();
    return { status: 'success', lines: ['zip=no', `file_limit=${this.settings.fileLimit}`] };
  }

  /** the document, or a failure; remembers what it returned for `success` */
  async query(session: OnecSession, version: string | undefined): Promise<{ xml: Buffer; orders: number } | Answer> {
    const ended = this.#ended(session);
    if (ended) return ended;
    const schemaVersion = (version ?? session.schema_version ?? this.settings.defaultSchemaVersion).trim();
    const problem = checkSchemaVersion(schemaVersion);
    if (problem) return failure(`${problem}; the orders exchange writes 2.04–2.10`);
    await touchSession(this.db, session.id, this.clock());
    const orders = await ordersToExport(this.db, session.city_id);
    await rememberQuery(this.db, session.id, orders);
    const currency = this.settings.currency(session.city_id);
    const xml = saleDocument(orders, {
      schemaVersion,
      timezone: this.settings.timezone(session.city_id),
      now: this.clock(),
      ...(currency ? { currency } : {}),
    });
    return { xml: encodeDocument(xml, this.settings.encoding), orders: orders.length };
  }

  async success(session: OnecSession): Promise<Answer & { exported?: number }> {
    const ended = this.#ended(session);
    if (ended) return ended;
    await touchSession(this.db, session.id, this.clock());
    const exported = await markExported(this.db, session.id, this.clock());
    await addToReport(this.db, session.id, 'exported', { orders: exported, at: this.clock().toISOString() });
    return { status: 'success', lines: [], exported };
  }

  /** 1C's status updates: read whole, then applied document by document */
  async file(
    session: OnecSession,
    filename: string,
    bytes: Uint8Array,
  ): Promise<Answer & { summary?: UpdatesSummary }> {
    const ended = this.#ended(session);
    if (ended) return ended;
    const name = exchangePath(filename);
    if (!name.ok) return failure(name.reason);
    await touchSession(this.db, session.id, this.clock());
    const where = { cityId: session.city_id, sessionId: session.id, fileName: name.name };
    let updates;
    try {
      updates = await readOrderUpdates(bytes);
    } catch (error) {
      if (!(error instanceof CommerceMlError || error instanceof XmlEncodingError)) throw error;
      await recordUpdate(this.db, where, { outcome: 'bad_file', detail: error.message });
      await addToReport(this.db, session.id, `file:${name.name}`, {
        ...emptySummary(),
        bad_file: 1,
        error: error.message,
      });
      return failure(`${name.name}: ${error.message}; no order was changed`);
    }
    const summary = await applyOrderUpdates(this.db, where, updates);
    await addToReport(this.db, session.id, `file:${name.name}`, summary);
    const problems = summary.refused + summary.unknown_order + summary.unknown_status;
    return {
      status: 'success',
      lines: problems
        ? [
            `${updates.length} order(s) read: ${summary.applied} changed, ${summary.refused} refused, ${summary.unknown_order} unknown, ${summary.unknown_status} with an unknown status (see onec_order_updates)`,
          ]
        : [],
      summary,
    };
  }

  /** after `file`: the file was applied as it arrived; says so, or that it never came */
  async import(session: OnecSession, filename: string): Promise<Answer> {
    const ended = this.#ended(session);
    if (ended) return ended;
    const name = exchangePath(filename);
    if (!name.ok) return failure(name.reason);
    const report = session.report as Record<string, { error?: string } | undefined>;
    const done = report[`file:${name.name}`];
    if (!done) return failure(`${name.name} was not sent in this exchange (mode=file first)`);
    return done.error ? failure(`${name.name}: ${done.error}`) : { status: 'success', lines: [] };
  }

  #ended(session: OnecSession): Answer | undefined {
    if (session.kind !== 'sale') return failure('this session was opened for type=catalog; open one with type=sale');
    if (session.status === 'open') return undefined;
    return failure(
      `this exchange session has ended (${session.status}${session.error ? `: ${session.error}` : ''}); start a new one with mode=checkauth`,
    );
  }
}

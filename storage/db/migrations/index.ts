import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_search_split.ts';
import * as m0003 from './0003_cheaper_terms.ts';
import * as m0004 from './0004_simple_vectors.ts';
import * as m0005 from './0005_record_outbox.ts';
import * as m0006 from './0006_refresh_rotation.ts';
import * as m0007 from './0007_send_queue.ts';
import * as m0008 from './0008_test_traffic.ts';
import * as m0009 from './0009_bot_settings.ts';
import * as m0010 from './0010_chat_uploads.ts';
import * as m0011 from './0011_api_tokens.ts';
import * as m0012 from './0012_session_security.ts';
import * as m0013 from './0013_alert_memory.ts';
import * as m0014 from './0014_manager_hours.ts';
import * as m0015 from './0015_escalation_media.ts';
import * as m0016 from './0016_sku_key.ts';
import * as m0017 from './0017_taxonomy.ts';
import * as m0019 from './0019_onec_exchange.ts';
import * as m0020 from './0020_leads.ts';
import * as m0021 from './0021_orders.ts';
import * as m0022 from './0022_crm_outbox.ts';
import * as m0023 from './0023_onec_sale.ts';
import * as m0024 from './0024_dead_letters.ts';
import * as m0025 from './0025_checkout.ts';
import * as m0026 from './0026_test_orders.ts';
import * as m0027 from './0027_search_lexemes.ts';
import * as m0028 from './0028_deflated_chunks.ts';
import * as m0029 from './0029_no_upper_sku_index.ts';

/** Versioned migrations, in order. Never edit a released one; add `0002_…`. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_search_split': m0002,
  '0003_cheaper_terms': m0003,
  '0004_simple_vectors': m0004,
  '0005_record_outbox': m0005,
  '0006_refresh_rotation': m0006,
  '0007_send_queue': m0007,
  '0008_test_traffic': m0008,
  '0009_bot_settings': m0009,
  '0010_chat_uploads': m0010,
  '0011_api_tokens': m0011,
  '0012_session_security': m0012,
  '0013_alert_memory': m0013,
  '0014_manager_hours': m0014,
  '0015_escalation_media': m0015,
  '0016_sku_key': m0016,
  '0017_taxonomy': m0017,
  '0019_onec_exchange': m0019,
  '0020_leads': m0020,
  '0021_orders': m0021,
  '0022_crm_outbox': m0022,
  '0023_onec_sale': m0023,
  '0024_dead_letters': m0024,
  '0025_checkout': m0025,
  '0026_test_orders': m0026,
  '0027_search_lexemes': m0027,
  '0028_deflated_chunks': m0028,
  '0029_no_upper_sku_index': m0029,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};

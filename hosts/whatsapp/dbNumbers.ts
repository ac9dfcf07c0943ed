import type { Kysely } from 'kysely';
import type { Database } from '../../storage/db/types.ts';
import type { WhatsAppNumber, WhatsAppNumberSource } from './numbers.ts';
import type { TemplateParam } from './template.ts';

/**
 * Business numbers from the WhatsApp bot configs of active cities (phone number id, template
 * name; the template language is the city's language unless `settings.templateLang` says
 * otherwise), plus the environment's number (WHATSAPP_PHONE_ID → the default city) for a city
 * without its own config.
 */
export function dbNumberSource(db: Kysely<Database>, env: { defaultCity: string; phoneNumberId?: string | undefined; templateName?: string | undefined; templateLang?: string | undefined }): WhatsAppNumberSource {
  return {
    async list() {
      const rows = await db
        .selectFrom('bot_configs')
        .innerJoin('cities', 'cities.id', 'bot_configs.city_id')
        .select(['cities.slug as city', 'cities.language as language', 'bot_configs.whatsapp_phone_number_id as phone', 'bot_configs.whatsapp_template_name as template', 'bot_configs.settings as settings'])
        .where('bot_configs.channel', '=', 'whatsapp')
        .where('cities.is_active', '=', true)
        .execute();
      const numbers: WhatsAppNumber[] = [];
      for (const r of rows) {
        if (!r.phone) continue;
        const settings = (typeof r.settings === 'string' ? JSON.parse(r.settings) : r.settings) as { templateLang?: unknown; templateParams?: unknown } | null;
        const lang = typeof settings?.templateLang === 'string' ? settings.templateLang : r.language;
        const template = r.template ?? env.templateName;
        const params = Array.isArray(settings?.templateParams) && settings.templateParams.every((p) => p === 'text' || p === 'productName' || p === 'price')
          ? (settings.templateParams as TemplateParam[])
          : undefined;
        numbers.push({ city: r.city, phoneNumberId: r.phone, ...(template ? { templateName: template } : {}), templateLang: lang, ...(params ? { templateParams: params } : {}) });
      }
      if (env.phoneNumberId && !numbers.some((n) => n.phoneNumberId === env.phoneNumberId || n.city === env.defaultCity)) {
        numbers.push({
          city: env.defaultCity,
          phoneNumberId: env.phoneNumberId,
          ...(env.templateName ? { templateName: env.templateName } : {}),
          templateLang: env.templateLang ?? 'ru',
        });
      }
      return numbers;
    },
  };
}

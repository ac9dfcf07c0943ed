import { charLength, WA_LIMITS as L } from '../limits.ts';

/**
 * Every WhatsApp limit a sent message must respect; returns the violations (empty = fine).
 * Used by the renderer tests and on every payload the fake Graph API records in end-to-end tests.
 */
export function limitViolations(message: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const len = (s: unknown) => (typeof s === 'string' ? charLength(s) : 0);
  const type = message.type;
  if (type === 'text') {
    const body = (message.text as { body?: unknown } | undefined)?.body;
    check(typeof body === 'string' && body.length > 0, 'text body missing');
    check(len(body) <= L.textBody, `text body ${len(body)} > ${L.textBody}`);
  } else if (type === 'image') {
    const image = message.image as { link?: unknown; caption?: unknown };
    check(typeof image?.link === 'string', 'image link missing');
    check(len(image?.caption) <= L.caption, `caption ${len(image?.caption)} > ${L.caption}`);
  } else if (type === 'interactive') {
    const i = message.interactive as {
      type: string;
      header?: { type: string; text?: string };
      body?: { text?: string };
      footer?: { text?: string };
      action: {
        buttons?: { reply: { id: string; title: string } }[];
        button?: string;
        sections?: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
      };
    };
    check(typeof i.body?.text === 'string' && i.body.text.length > 0, 'interactive body missing');
    check(len(i.body?.text) <= L.interactiveBody, `body ${len(i.body?.text)} > ${L.interactiveBody}`);
    if (i.header?.type === 'text') check(len(i.header.text) <= L.headerText, 'header text too long');
    check(len(i.footer?.text) <= L.footerText, 'footer too long');
    if (i.type === 'button') {
      const buttons = i.action.buttons ?? [];
      check(buttons.length >= 1 && buttons.length <= L.buttons, `${buttons.length} buttons`);
      const titles = buttons.map((b) => b.reply.title);
      check(
        new Set(titles.map((t) => t.toLowerCase())).size === titles.length,
        `duplicate button titles ${titles.join('|')}`,
      );
      for (const b of buttons) {
        check(
          len(b.reply.title) >= 1 && len(b.reply.title) <= L.buttonTitle,
          `button title "${b.reply.title}" ${len(b.reply.title)} > ${L.buttonTitle}`,
        );
        check(b.reply.id.length >= 1 && b.reply.id.length <= L.buttonId, 'button id length');
      }
      check(new Set(buttons.map((b) => b.reply.id)).size === buttons.length, 'duplicate button ids');
    } else if (i.type === 'list') {
      const sections = i.action.sections ?? [];
      const rows = sections.flatMap((s) => s.rows);
      check(
        len(i.action.button) >= 1 && len(i.action.button) <= L.listButton,
        `list button ${len(i.action.button)} > ${L.listButton}`,
      );
      check(sections.length >= 1 && sections.length <= L.listSections, `${sections.length} sections`);
      check(rows.length >= 1 && rows.length <= L.listRows, `${rows.length} rows`);
      if (sections.length > 1)
        check(
          sections.every((s) => s.title && len(s.title) <= L.sectionTitle),
          'section titles missing or too long',
        );
      for (const s of sections)
        check(len(s.title) <= L.sectionTitle, `section title ${len(s.title)} > ${L.sectionTitle}`);
      for (const r of rows) {
        check(
          len(r.title) >= 1 && len(r.title) <= L.rowTitle,
          `row title "${r.title}" ${len(r.title)} > ${L.rowTitle}`,
        );
        check(len(r.description) <= L.rowDescription, `row description ${len(r.description)} > ${L.rowDescription}`);
        check(r.id.length >= 1 && r.id.length <= L.rowId, 'row id length');
      }
      check(new Set(rows.map((r) => r.id)).size === rows.length, 'duplicate row ids');
    } else {
      problems.push(`unknown interactive type ${i.type}`);
    }
  } else if (type === 'template') {
    const t = message.template as { name?: string; components?: { parameters: { text: string }[] }[] };
    check(typeof t?.name === 'string' && t.name.length > 0, 'template name');
    for (const p of (t?.components ?? []).flatMap((c) => c.parameters)) {
      check(p.text.length > 0 && len(p.text) <= L.templateParam, 'template parameter length');
      check(!/[\n\t]| {5,}/.test(p.text), 'template parameter with new line, tab or 5 spaces');
    }
  } else {
    problems.push(`unexpected message type ${String(type)}`);
  }
  check(len(message.biz_opaque_callback_data) <= L.bizOpaque, 'biz_opaque_callback_data too long');
  return problems;
}

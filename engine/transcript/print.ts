import type { Action, ActualLine, Expectation, Recorded, Transcript, TranscriptHeader } from './model.ts';

/** Transcript → text in the format parseTranscript reads (stable, diff-friendly). */
export function printTranscript(transcript: Transcript): string {
  const out: string[] = [];
  if (transcript.title) out.push(`# ${transcript.title}`);
  out.push(printHeader(transcript.header));
  for (const turn of transcript.turns) {
    out.push('');
    for (const comment of turn.comments) out.push(`# ${comment}`);
    out.push(printAction(turn.action));
    for (const recorded of turn.recorded) out.push(printRecorded(recorded));
    for (const expect of turn.expects) out.push(printExpectation(expect));
  }
  return out.join('\n') + '\n';
}

export function printHeader(header: TranscriptHeader): string {
  const parts = [`city ${header.city}`, `channel ${header.channel}`, `lang ${header.lang}`, `at ${header.at}`];
  if (!header.vision) parts.push('vision off');
  if (!header.voice) parts.push('voice off');
  for (const [key, value] of Object.entries(header.extra)) parts.push(`${key} ${value}`);
  return `@ ${parts.join(' · ')}`;
}

export function printAction(action: Action): string {
  switch (action.kind) {
    case 'text':
      if (action.text.includes('\n') || action.text.trim() !== action.text || action.text === '')
        return `> [text ${JSON.stringify(action.text)}]`;
      return /^[/[]/.test(action.text) ? `> [text] ${action.text}` : `> ${action.text}`;
    case 'command':
      return `> /${action.command}${action.args ? ` ${action.args}` : ''}`;
    case 'tap':
      return `> [tap] ${action.id}`;
    case 'tapLabel':
      return `> [tap ${JSON.stringify(action.label)}]`;
    case 'photo':
      return `> [photo] ${action.ref}${action.caption === undefined ? '' : ` ${JSON.stringify(action.caption)}`}`;
    case 'voice':
      return `> [voice] ${action.ref}`;
    case 'location':
      return `> [location] ${action.latitude}, ${action.longitude}`;
    case 'unsupported':
      return `> [unsupported] ${action.what}`;
    case 'contact':
      return `> [contact ${action.phone}${action.own ? '' : ' other'}]`;
    case 'wait':
      return `~ ${action.spec}`;
    case 'managerReply':
      return `! manager${action.name ? ` ${action.name}` : ''}: ${action.text}`;
    case 'managerResolve':
      return '! manager resolves';
    case 'admin':
      if (action.admin.kind === 'catalogImport') {
        const rows = action.admin.rows.map(
          (r) =>
            `${r.sku}${r.price !== undefined ? ` = ${r.price}` : ''}${r.available !== undefined ? (r.available ? ' in' : ' out') : ''}`,
        );
        return `! admin: import ${rows.join(', ')}`;
      }
      return action.admin.kind === 'price'
        ? `! admin: price ${action.admin.sku} = ${action.admin.price}`
        : `! admin: stock ${action.admin.sku} = ${action.admin.available ? 'in' : 'out'}`;
  }
}

export function printRecorded(recorded: Recorded): string {
  if (recorded.failure !== undefined) return `= ${recorded.effect} !fail ${recorded.failure}`;
  const value =
    typeof recorded.value === 'string' &&
    /^[A-Za-z0-9][\w.:-]*$/.test(recorded.value) &&
    !/^(true|false|null|\d[\d.]*)$/.test(recorded.value)
      ? recorded.value
      : JSON.stringify(recorded.value);
  return `= ${recorded.effect} ${value}`;
}

export function printExpectation(expect: Expectation): string {
  switch (expect.kind) {
    case 'exact':
      return printText('< ', expect.text, true);
    case 'contains':
      return printText('< ~ ', expect.text, false);
    case 'regex':
      return `< /${expect.pattern}/${expect.flags}`;
    case 'products': {
      const tag = expect.view === 'detail' ? '[product]' : '[products]';
      if (expect.mode === 'any') return `< ${tag} *`;
      return `< ${tag} ${expect.mode === 'contains' ? '~ ' : ''}${expect.skus.join(', ')}`;
    }
    case 'choices':
      return `< [choices] ${expect.mode === 'contains' ? '~ ' : ''}${expect.labels.join(' | ')}`;
    case 'image':
      return `< [image] ${expect.url ?? '*'}`;
    case 'any':
      return '< ...';
    case 'silence':
      return '< (silence)';
  }
}

/** An actual reply line as the exact expectation that matches it (what the recorder writes). */
export function expectationFor(line: ActualLine): Expectation {
  switch (line.kind) {
    case 'text':
      return { kind: 'exact', text: line.text };
    case 'products':
      return { kind: 'products', view: line.view, skus: line.skus, mode: 'exact' };
    case 'choices':
      return { kind: 'choices', labels: line.labels, mode: 'exact' };
    case 'image':
      return { kind: 'image', url: line.url };
  }
}

/** An actual reply line as text, for diffs and the terminal chat. */
export function printActual(line: ActualLine): string {
  switch (line.kind) {
    case 'text':
      return line.text;
    case 'products':
      return `${line.view === 'detail' ? '[product]' : '[products]'} ${line.skus.join(', ')}`;
    case 'choices':
      return `[choices] ${line.labels.join(' | ')}`;
    case 'image':
      return `[image] ${line.url}${line.caption ? ` ${JSON.stringify(line.caption)}` : ''}`;
  }
}

function printText(prefix: string, text: string, exact: boolean): string {
  const [first = '', ...more] = text.split('\n');
  const needsGuard = exact && (/^(~( |$)|=( |$)|\/|\[|\.\.\.$|…$|\(silence\)$|\s)/.test(first) || first === '');
  const head = `${needsGuard ? '< = ' : prefix}${first}`;
  return [head, ...more.map((line) => (line === '' ? '|' : `| ${line}`))].join('\n');
}

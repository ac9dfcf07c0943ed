import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { LatencyRecorder, type SerializedRecorder } from './latency.ts';
import { ProcessSampler, type ProcessSample } from './process.ts';
import {
  chatOf,
  joinAt,
  prng,
  session,
  statusWebhookFor,
  webhookFor,
  type Channel,
  type Channels,
  type Mix,
  type Outgoing,
  type Step,
} from './shoppers.ts';
import { startSink } from './sink.ts';

/**
 * The load generator, run as a child process of the benchmark (so it never steals the server's
 * event loop). It hosts the fake platform APIs (./sink.ts) and posts webhooks over a keep-alive
 * undici pool. Talks to the parent over IPC:
 *   child → parent  { type: 'ready', sinkUrl }
 *   parent → child  { type: 'run', plan }
 *   child → parent  { type: 'phase', name, state: 'start' | 'end' }   (the parent samples itself per phase)
 *   child → parent  { type: 'result', phases }
 *
 * Latency of a message = time the sink received the LAST reply sent to that chat before the
 * chat's next message was posted, minus the message's scheduled arrival time (open loop: the
 * schedule, not the actual post, so a slow generator cannot hide queueing). A shopper writes again
 * only after the answer to their last message (and `thinkSeconds`), so replies cannot be
 * misattributed even when the server is far behind; a message with no reply by the end of its
 * phase's drain counts as unanswered.
 */

export type OpenPhase = { kind: 'open'; name: string; rate: number; seconds: number; measured: boolean };
export type ClosedPhase = { kind: 'closed'; name: string; messages: number; concurrency: number };
export type Plan = {
  /** replicas of the platform; webhooks are spread over them round-robin */
  serverUrls: string[];
  channels: Omit<Channels, 'photoId'>;
  thinkSeconds: number;
  mix: Mix;
  /** the delivery statuses WhatsApp posts back for every message the server sends ('sent', 'delivered', …) */
  whatsappStatuses: ('sent' | 'delivered' | 'read')[];
  phases: (OpenPhase | ClosedPhase)[];
};

export type PhaseResult = {
  name: string;
  kind: 'open' | 'closed';
  offeredRate: number;
  posted: number;
  /** messages answered per second over the phase (first arrival → last reply) */
  answeredRate: number;
  durationS: number;
  /** time from the last arrival to the last reply */
  drainMs: number;
  answered: number;
  unanswered: number;
  errors: number;
  errorSamples: string[];
  replies: number;
  latency: SerializedRecorder;
  photo: SerializedRecorder;
  ack: SerializedRecorder;
  byLabel: Record<string, SerializedRecorder>;
  /** WhatsApp status webhooks posted during the phase (not messages: no reply, not in the latency) */
  statusPosts: number;
  /** how late the generator posted against its schedule */
  postLagMaxMs: number;
  generator: ProcessSample;
};

const PHOTO = new Uint8Array(
  readFileSync(fileURLToPath(new URL('../../../hosts/ocr/fixtures/tag-ru-sofa-001.png', import.meta.url))),
);
const PHOTO_ID = 'pricetag-sofa-001';

type Open = { intended: number; label: string; replies: number; lastAt: number };

async function main() {
  const sink = await startSink();
  sink.addTelegramFile(PHOTO_ID, PHOTO);
  sink.addWhatsAppMedia(PHOTO_ID, PHOTO, 'image/png');

  // per chat, the message whose replies are being collected
  const current = new Map<string, Open>();
  let replies = 0;
  let lastReplyAt = 0;
  sink.onReply((chat, at) => {
    replies++;
    lastReplyAt = at;
    const open = current.get(chat);
    if (open) {
      open.replies++;
      open.lastAt = at;
    }
  });

  const plan = await new Promise<Plan>((resolve) => {
    process.on('message', (m: { type: string; plan?: Plan }) => {
      if (m.type === 'run' && m.plan) resolve(m.plan);
    });
    process.send?.({ type: 'ready', sinkUrl: sink.url });
  });

  const pools = plan.serverUrls.map(
    (url) => new Pool(url, { connections: 64, pipelining: 1, keepAliveTimeout: 60_000 }),
  );
  let nextPool = 0;
  const pool = {
    request: (options: Parameters<Pool['request']>[0]) => pools[nextPool++ % pools.length]!.request(options),
  };
  const channels: Channels = { ...plan.channels, photoId: PHOTO_ID };

  // WhatsApp answers every sent message with status webhooks: 'sent' at once, 'delivered' a moment
  // later, 'read' when the shopper looks. They are load like any webhook, so they are posted too.
  const statusDelayMs = { sent: 0, delivered: 200, read: 1_000 } as const;
  const statusRun = { posts: 0, errors: 0, samples: [] as string[] };
  const statusInflight = new Set<Promise<void>>();
  const postStatus = (out: Outgoing) => {
    statusRun.posts++;
    const p = pool
      .request({ method: 'POST', path: out.path, headers: out.headers, body: out.body })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      })
      .catch((error: unknown) => {
        statusRun.errors++;
        if (statusRun.samples.length < 5)
          statusRun.samples.push(`${out.label}: ${error instanceof Error ? error.message : String(error)}`);
      });
    statusInflight.add(p);
    void p.finally(() => statusInflight.delete(p));
  };
  sink.onWhatsAppSent((wamid, to) => {
    for (const status of plan.whatsappStatuses) {
      setTimeout(() => postStatus(statusWebhookFor(wamid, to, status, channels)), statusDelayMs[status]);
    }
  });
  const rnd = prng(20261126);
  let shopperNo = 0;
  let updateId = 1_000_000;

  type Slot = { channel: Channel; shopper: number; steps: Step[]; pos: number; chat: string; lastIntended: number };
  const newSlot = (): Slot => {
    const channel: Channel = rnd() < plan.mix.whatsappShare ? 'whatsapp' : 'telegram';
    const shopper = ++shopperNo;
    return {
      channel,
      shopper,
      steps: session(rnd, plan.mix),
      pos: 0,
      chat: chatOf(channel, shopper),
      lastIntended: -Infinity,
    };
  };
  /**
   * A shopper who joins starts at a random step of their first visit (as if they had been talking a
   * while): real traffic has shoppers at every stage of their visit at any moment, and shoppers who
   * all started together would move in lock-step (a wave of greetings, then a wave of searches, …).
   * One drawn mid-purchase starts at its product card (a fresh chat has no cart); among the shoppers
   * already in the shop when a phase begins (`waiting`) it comes that many think times later, so
   * buyers are spread over every checkout step rather than moving through them in one wave.
   */
  const joining = (waiting = false): Slot => {
    const slot = newSlot();
    const drawn = Math.floor(rnd() * slot.steps.length);
    slot.pos = joinAt(slot.steps, drawn);
    if (waiting && slot.pos < drawn)
      slot.lastIntended = performance.now() + (drawn - slot.pos - 1 - rnd()) * plan.thinkSeconds * 1000;
    return slot;
  };
  /**
   * Shoppers of the open-loop phases, kept across phases, longest idle first. A shopper writes again
   * only after reading the bot's answer to their last message and thinking `thinkSeconds`, as people
   * do; when nobody is ready (the bot is behind), a new shopper arrives instead. So arrivals stay
   * open-loop at the phase's rate however slow the answers, and every reply belongs to the one
   * message its chat is waiting on.
   */
  const idle: Slot[] = [];
  const QUIET_MS = 500;
  const GIVE_UP_MS = 60_000;
  const ready = (slot: Slot, now: number): boolean => {
    if (now - slot.lastIntended < plan.thinkSeconds * 1000) return false;
    const open = current.get(slot.chat);
    if (!open) return true;
    // answered once its replies have stopped coming; an answer that never comes is given up on
    return open.replies > 0 ? now - open.lastAt >= QUIET_MS : now - open.intended >= GIVE_UP_MS;
  };
  const nextShopper = (now: number): Slot => {
    // the longest idle are at the front; a few stuck behind the bot must not hold up the rest
    const scan = Math.min(idle.length, 32);
    for (let i = 0; i < scan; i++) {
      if (ready(idle[i]!, now)) return idle.splice(i, 1)[0]!;
    }
    return joining();
  };
  /** the shopper's next message; after the last of a visit a new shopper takes the slot */
  const nextOf = (slot: Slot): Outgoing => {
    if (slot.pos >= slot.steps.length) Object.assign(slot, newSlot());
    return webhookFor(slot.channel, slot.shopper, ++updateId, slot.steps[slot.pos++]!, channels);
  };

  // OCR workers start on the first photo (seconds): one photo per channel before measuring
  for (const channel of ['telegram', 'whatsapp'] as const) {
    const out = webhookFor(channel, ++shopperNo, ++updateId, { kind: 'photo', label: 'photo' }, channels);
    current.set(out.chat, { intended: performance.now(), label: 'photo', replies: 0, lastAt: 0 });
    const res = await pool.request({ method: 'POST', path: out.path, headers: out.headers, body: out.body });
    await res.body.dump();
    const deadline = performance.now() + 30_000;
    while ((current.get(out.chat)?.replies ?? 0) === 0 && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    current.delete(out.chat);
  }

  const results: PhaseResult[] = [];
  for (const phase of plan.phases) {
    process.send?.({ type: 'phase', name: phase.name, state: 'start' });
    const sampler = new ProcessSampler();
    sampler.start();
    const latency = new LatencyRecorder();
    const photo = new LatencyRecorder();
    const ack = new LatencyRecorder();
    const byLabel = new Map<string, LatencyRecorder>();
    let answered = 0;
    let unanswered = 0;
    let errors = 0;
    const errorSamples: string[] = [];
    const statusBefore = { posts: statusRun.posts, errors: statusRun.errors, samples: statusRun.samples.length };
    let posted = 0;
    let postLagMax = 0;
    const repliesBefore = replies;
    const inflight = new Set<Promise<void>>();
    const started = performance.now();
    // BENCH_LOAD_TIMELINE=1: latency per second of arrival, to see where in a phase it grows
    const timeline: LatencyRecorder[] | undefined = process.env.BENCH_LOAD_TIMELINE ? [] : undefined;

    const finalize = (open: Open) => {
      if (open.replies === 0) {
        unanswered++;
        return;
      }
      answered++;
      const ms = open.lastAt - open.intended;
      if (timeline) {
        const second = Math.floor((open.intended - started) / 1000);
        (timeline[second] ??= new LatencyRecorder()).record(ms);
      }
      if (open.label.endsWith('photo')) photo.record(ms);
      else latency.record(ms);
      let r = byLabel.get(open.label);
      if (!r) byLabel.set(open.label, (r = new LatencyRecorder()));
      r.record(ms);
    };

    // closed loop posts a shopper's messages back to back: replies cannot be attributed to one
    // message, so only throughput (messages / time until the last reply) is measured there
    const attribute = phase.kind === 'open';
    const post = (out: Outgoing, intended: number): Promise<void> => {
      if (attribute) {
        const previous = current.get(out.chat);
        if (previous) finalize(previous);
        current.set(out.chat, { intended, label: out.label, replies: 0, lastAt: 0 });
      }
      posted++;
      const sentAt = performance.now();
      postLagMax = Math.max(postLagMax, sentAt - intended);
      const p = pool
        .request({ method: 'POST', path: out.path, headers: out.headers, body: out.body })
        .then(async (res) => {
          await res.body.dump();
          ack.record(performance.now() - sentAt);
          if (res.statusCode !== 200) {
            errors++;
            if (errorSamples.length < 5) errorSamples.push(`${out.label}: HTTP ${res.statusCode}`);
            current.delete(out.chat);
          }
        })
        .catch((error: unknown) => {
          errors++;
          if (errorSamples.length < 5)
            errorSamples.push(`${out.label}: ${error instanceof Error ? error.message : String(error)}`);
          current.delete(out.chat);
        });
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      return p;
    };

    let lastArrival = started;
    if (phase.kind === 'open') {
      // enough shoppers that each one thinks `thinkSeconds` between messages while answers are quick
      while (idle.length < Math.ceil(phase.rate * plan.thinkSeconds)) idle.push(joining(true));
      const total = Math.round(phase.rate * phase.seconds);
      const interval = 1000 / phase.rate;
      const t0 = performance.now() + 20;
      let i = 0;
      await new Promise<void>((resolve) => {
        const tick = () => {
          const now = performance.now();
          while (i < total && t0 + i * interval <= now) {
            const intended = t0 + i * interval;
            const slot = nextShopper(now);
            const out = nextOf(slot);
            slot.lastIntended = intended;
            idle.push(slot);
            void post(out, intended);
            lastArrival = intended;
            i++;
          }
          if (i >= total) resolve();
          else setTimeout(tick, Math.max(0, Math.min(5, t0 + i * interval - performance.now())));
        };
        tick();
      });
    } else {
      // closed loop: `concurrency` posters, each sending whole sessions back to back
      let left = phase.messages;
      await Promise.all(
        Array.from({ length: phase.concurrency }, async () => {
          const slot = newSlot();
          while (left > 0) {
            left--;
            const now = performance.now();
            await post(nextOf(slot), now);
            lastArrival = now;
          }
        }),
      );
    }
    await Promise.allSettled([...inflight]);
    // drain: until no reply arrived for a while (or a cap)
    const drainStart = performance.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const quiet = performance.now() - Math.max(lastReplyAt, drainStart) > 1_500;
      if (quiet || performance.now() - drainStart > 60_000) break;
    }
    for (const open of current.values()) finalize(open);
    current.clear();
    const end = Math.max(lastReplyAt, lastArrival);
    const durationS = (end - started) / 1000;
    const generator = sampler.stop();
    if (timeline) {
      const line = timeline.map((r, i) => `${i}s:${Math.round(r.summary().p99)}`).join(' ');
      process.stderr.write(`  timeline ${phase.name} (p99 ms by second of arrival): ${line}\n`);
    }
    process.send?.({ type: 'phase', name: phase.name, state: 'end' });
    if (!phase.name.startsWith('warm')) {
      results.push({
        name: phase.name,
        kind: phase.kind,
        offeredRate: phase.kind === 'open' ? phase.rate : 0,
        posted,
        answeredRate: (attribute ? answered : posted) / durationS,
        durationS,
        drainMs: Math.max(0, lastReplyAt - lastArrival),
        answered,
        unanswered,
        errors: errors + statusRun.errors - statusBefore.errors,
        errorSamples: [...errorSamples, ...statusRun.samples.slice(statusBefore.samples)].slice(0, 5),
        statusPosts: statusRun.posts - statusBefore.posts,
        replies: replies - repliesBefore,
        latency: latency.serialize(),
        photo: photo.serialize(),
        ack: ack.serialize(),
        byLabel: Object.fromEntries([...byLabel].map(([k, r]) => [k, r.serialize()])),
        postLagMaxMs: postLagMax,
        generator,
      });
    }
  }
  await Promise.allSettled([...statusInflight]);
  await Promise.all(pools.map((p) => p.close()));
  await sink.close();
  process.send?.({ type: 'result', phases: results, sink: sink.stats() });
}

await main();

import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** Process health while a phase runs: CPU share, memory peaks, event-loop delay. */
export type ProcessSample = {
  cpuPercent: number;
  /** CPU time used over the sample (user + system) */
  cpuMs: number;
  rssPeakMb: number;
  heapPeakMb: number;
  rssEndMb: number;
  heapEndMb: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
};

export class ProcessSampler {
  #timer: NodeJS.Timeout | undefined;
  #cpu = process.cpuUsage();
  #started = performance.now();
  #rssPeak = 0;
  #heapPeak = 0;
  #loop = monitorEventLoopDelay({ resolution: 10 });

  start(): void {
    this.#cpu = process.cpuUsage();
    this.#started = performance.now();
    this.#rssPeak = 0;
    this.#heapPeak = 0;
    this.#loop.reset();
    this.#loop.enable();
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), 200);
    this.#timer.unref();
  }

  #sample() {
    const m = process.memoryUsage();
    this.#rssPeak = Math.max(this.#rssPeak, m.rss);
    this.#heapPeak = Math.max(this.#heapPeak, m.heapUsed);
  }

  stop(): ProcessSample {
    if (this.#timer) clearInterval(this.#timer);
    this.#sample();
    this.#loop.disable();
    const cpu = process.cpuUsage(this.#cpu);
    const elapsedMs = performance.now() - this.#started;
    const m = process.memoryUsage();
    const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
    return {
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 1000) / 10,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssPeakMb: mb(this.#rssPeak),
      heapPeakMb: mb(this.#heapPeak),
      rssEndMb: mb(m.rss),
      heapEndMb: mb(m.heapUsed),
      loopDelayP99Ms: this.#loop.percentile(99) / 1e6,
      loopDelayMaxMs: this.#loop.max / 1e6,
    };
  }
}

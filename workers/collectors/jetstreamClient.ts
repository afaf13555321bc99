import WebSocket from 'ws';

// Reads a Jetstream WebSocket into a bounded queue and hands it on in batches, one batch at a time.
// The queue never holds more than `queueLimit` frames plus what the socket had already read when it
// was paused (one read, at most 64 KiB): at the limit the socket is paused, so the kernel's buffer
// fills and the server slows down, and it resumes when the queue is half empty. A batch that fails
// ends the connection; the next one starts from wherever `url()` then says (the caller's cursor).
// Reconnects back off exponentially with jitter, capped; a connection that delivered frames resets it.

export type Backoff = { baseMs: number; maxMs: number };
export type ClientStats = { connects: number; frames: number; maxQueued: number; pauses: number; failures: number };
export type ClientOptions = {
  url: () => string;
  onBatch: (frames: string[]) => Promise<void>;
  queueLimit?: number;
  batchSize?: number;
  backoff?: Backoff;
  // No frame for this long: the connection is taken for dead (Jetstream is never quiet that long).
  idleMs?: number;
  maxPayload?: number;
  random?: () => number;
  onEvent?: (fields: Record<string, unknown>, msg: string) => void;
};

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 60_000 };

export function backoffMs(attempt: number, b: Backoff, random = Math.random): number {
  const exp = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(exp * (0.5 + random() / 2));
}

export class JetstreamClient {
  readonly stats: ClientStats = { connects: 0, frames: 0, maxQueued: 0, pauses: 0, failures: 0 };
  private queue: string[] = [];
  private stopping = false;
  private socket: WebSocket | undefined;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private readonly limit: number;
  private readonly batchSize: number;

  constructor(private readonly o: ClientOptions) {
    this.limit = o.queueLimit ?? 5000;
    this.batchSize = o.batchSize ?? 500;
  }

  get queued() {
    return this.queue.length;
  }

  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  async stop() {
    this.stopping = true;
    this.socket?.terminate();
    this.wake?.();
    await this.running;
  }

  private async loop() {
    let attempt = 0;
    while (!this.stopping) {
      const delivered = await this.session();
      if (this.stopping) break;
      attempt = delivered ? 0 : attempt + 1;
      const wait = backoffMs(delivered ? 0 : attempt, this.o.backoff ?? DEFAULT_BACKOFF, this.o.random);
      this.o.onEvent?.({ waitMs: wait, attempt }, 'jetstream: reconnecting');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wake = () => (clearTimeout(t), resolve());
      });
    }
  }

  // One connection: resolves once the socket is closed and everything it delivered was handed on
  // (or a batch failed). Returns whether any frame came through.
  private session(): Promise<boolean> {
    return new Promise((resolve) => {
      const url = this.o.url();
      const ws = new WebSocket(url, { maxPayload: this.o.maxPayload ?? 2 * 1024 * 1024, perMessageDeflate: false });
      this.socket = ws;
      this.queue = [];
      let open = true;
      let failed = false;
      let delivered = false;
      let idle: NodeJS.Timeout | undefined;
      const touch = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          this.o.onEvent?.({ idleMs: this.o.idleMs }, 'jetstream: no frames, reconnecting');
          ws.terminate();
        }, this.o.idleMs ?? 60_000);
      };
      ws.on('open', () => {
        this.stats.connects++;
        this.o.onEvent?.({ url }, 'jetstream: connected');
        touch();
      });
      ws.on('message', (data, isBinary) => {
        if (failed) return;
        touch();
        delivered = true;
        this.stats.frames++;
        this.queue.push(isBinary ? '' : data.toString());
        if (this.queue.length > this.stats.maxQueued) this.stats.maxQueued = this.queue.length;
        if (this.queue.length >= this.limit && !ws.isPaused) {
          this.stats.pauses++;
          ws.pause();
        }
        this.wake?.();
      });
      ws.on('error', (err) => this.o.onEvent?.({ error: err.message }, 'jetstream: connection error'));
      ws.on('close', () => {
        open = false;
        clearTimeout(idle);
        this.wake?.();
      });
      // The consumer: one batch at a time, in order; it outlives the socket until the queue is empty.
      void (async () => {
        // On stop what is still queued is dropped: the cursor has not passed it, so it is read again.
        while (!failed && !this.stopping) {
          if (!this.queue.length) {
            if (!open) break;
            await new Promise<void>((r) => (this.wake = r));
            continue;
          }
          const batch = this.queue.splice(0, this.batchSize);
          if (ws.isPaused && this.queue.length <= this.limit / 2) ws.resume();
          try {
            await this.o.onBatch(batch);
          } catch (err) {
            failed = true;
            this.stats.failures++;
            this.o.onEvent?.({ error: err }, 'jetstream: batch failed, reconnecting from the cursor');
            this.queue = [];
            ws.terminate();
          }
        }
        if (open) await new Promise<void>((r) => ws.once('close', () => r()));
        resolve(delivered);
      })();
    });
  }
}

// Prewarmed Node processes ("stem cells"): the runtime loaded, no function yet. A cold start of a
// Node function takes one (paying a module load, not a process spawn) and a replacement starts
// once that cold start is done, so the two do not compete for the CPU.
//
// The V8 heap limit (--max-old-space-size) can only be set when a process starts, so a spare
// fits only functions of its memory size; the pool learns the size it needs from cold starts.
import { NodeInstance } from '../runtime/index.ts';
import type { Logger } from '../shared/log.ts';

export class SpareCells {
  readonly #log: Logger;
  readonly #target: number;
  #cells: NodeInstance[] = [];
  #closed = false;

  constructor(log: Logger, target: number) {
    this.#log = log;
    this.#target = target;
  }

  /** Starts the initial spares (the Serverless Framework's default memory size unless told). */
  prime(memorySizeMb: number): void {
    for (let i = 0; i < this.#target; i++) this.#spawn(memorySizeMb);
  }

  /** A live spare of this memory size, removed from the set; undefined if none fits. */
  take(memorySizeMb: number): NodeInstance | undefined {
    const i = this.#cells.findIndex((c) => c.memorySizeMb === memorySizeMb && c.alive);
    if (i === -1) return undefined;
    const [cell] = this.#cells.splice(i, 1);
    return cell;
  }

  /** After a cold start: top up to the target with spares of the size just needed. */
  refill(memorySizeMb: number): void {
    if (this.#closed || this.#target === 0) return;
    if (this.#cells.length >= this.#target) {
      // Full, but of another size: swap the oldest mismatched spare for one that fits.
      if (this.#cells.some((c) => c.memorySizeMb === memorySizeMb)) return;
      const old = this.#cells.shift();
      old?.kill('stopped');
    }
    this.#spawn(memorySizeMb);
  }

  /** Spares whose runtime is loaded and waiting. */
  get ready(): number {
    return this.#cells.filter((c) => c.standby && c.alive).length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const cells = this.#cells;
    this.#cells = [];
    for (const c of cells) c.kill('stopped');
    await Promise.all(cells.map((c) => c.exited));
  }

  #spawn(memorySizeMb: number): void {
    if (this.#closed) return;
    const cell = new NodeInstance({ memorySizeMb, log: this.#log });
    this.#cells.push(cell);
    void cell.exited.then((exit) => {
      const i = this.#cells.indexOf(cell);
      if (i === -1) return;
      this.#cells.splice(i, 1);
      this.#log.warn(`a prewarmed Node process exited (${exit.signal ?? `code ${exit.code}`}); cold starts spawn fresh processes until the next refill`);
    });
  }
}

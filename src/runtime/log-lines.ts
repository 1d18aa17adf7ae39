// Output of an instance, split into log records. Each instance keeps the records written since
// the pool last took them; the pool hands them to the invocation in progress (or the next one).
import { StringDecoder } from 'node:string_decoder';

/** Records kept between invocations before the oldest go to the host log instead. */
const MAX_PENDING_RECORDS = 10_000;

export class LogBuffer {
  records: string[] = [];
  #overflow: (line: string) => void;

  constructor(overflow: (line: string) => void) {
    this.#overflow = overflow;
  }

  add(record: string): void {
    if (this.records.length >= MAX_PENDING_RECORDS) this.#overflow(this.records.shift()!);
    this.records.push(record);
  }

  take(): string[] {
    const out = this.records;
    this.records = [];
    return out;
  }
}

/** Splits a byte stream into lines (UTF-8 safe across chunk boundaries). */
export class LineSplitter {
  #decoder = new StringDecoder('utf8');
  #partial = '';
  #onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: Buffer): void {
    const text = this.#partial + this.#decoder.write(chunk);
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      this.#onLine(text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.#partial = start === 0 ? text : text.slice(start);
  }

  /** Emits an unterminated last line, if any. */
  flush(): void {
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    if (rest !== '') this.#onLine(rest);
  }
}

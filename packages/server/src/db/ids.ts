import { V7Generator } from 'uuidv7';

/**
 * Random bits for ids from crypto.getRandomValues, 4 KB at a time. The uuidv7 package refills
 * every 32 bytes, a cost that shows at ingest rates (two ids per event).
 */
class BufferedRandom {
  private readonly buffer = new Uint32Array(1024);
  private cursor = this.buffer.length;

  nextUint32(): number {
    if (this.cursor === this.buffer.length) {
      crypto.getRandomValues(this.buffer);
      this.cursor = 0;
    }
    return this.buffer[this.cursor++];
  }
}

const generator = new V7Generator(new BufferedRandom());

/** A new UUIDv7: time-ordered, unique within and across processes. */
export function newId(): string {
  return generator.generate().toString();
}

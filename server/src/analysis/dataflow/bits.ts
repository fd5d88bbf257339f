// Bit sets for the artifact data flow (dataflow/solve.ts).

/** Fixed-size bit sets over the flow's artifact names (big flows have hundreds of artifacts).
 * Plain arrays of 30-bit words stay small integers in V8, which keeps copies cheap. */
export const W = 30;
export class Bits {
  constructor(readonly words: number[]) {}
  static empty(n: number): Bits {
    return new Bits(new Array<number>(n).fill(0));
  }
  static full(n: number): Bits {
    return new Bits(new Array<number>(n).fill((1 << W) - 1));
  }
  copy(): Bits {
    return new Bits(this.words.slice());
  }
  set(i: number): void {
    const k = Math.floor(i / W);
    this.words[k] = (this.words[k] ?? 0) | (1 << i % W);
  }
  clear(i: number): void {
    const k = Math.floor(i / W);
    this.words[k] = (this.words[k] ?? 0) & ~(1 << i % W);
  }
  has(i: number): boolean {
    return ((this.words[Math.floor(i / W)] ?? 0) & (1 << i % W)) !== 0;
  }
  and(o: Bits): void {
    for (let k = 0; k < this.words.length; k++) this.words[k] = (this.words[k] ?? 0) & (o.words[k] ?? 0);
  }
  or(o: Bits): void {
    for (let k = 0; k < this.words.length; k++) this.words[k] = (this.words[k] ?? 0) | (o.words[k] ?? 0);
  }
  equals(o: Bits): boolean {
    for (let k = 0; k < this.words.length; k++) if (this.words[k] !== o.words[k]) return false;
    return true;
  }
}

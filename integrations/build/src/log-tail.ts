/** Keeps the last bytes of a stream of output, for the log tail of build.complete. */
export class LogTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes = 8192) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.maxBytes && this.chunks.length > 1) {
      this.size -= (this.chunks.shift() as Buffer).length;
    }
  }

  /** The tail as text, cut at a line start when it was truncated. */
  text(): string {
    const all = Buffer.concat(this.chunks);
    const tail = all.subarray(Math.max(0, all.length - this.maxBytes)).toString("utf8");
    const newline = tail.indexOf("\n");
    return all.length > this.maxBytes && newline !== -1 ? tail.slice(newline + 1) : tail;
  }
}

/** Credit each side grants per stream and direction at open (wire protocol); big enough for a LAN. */
export const INITIAL_STREAM_WINDOW = 1024 * 1024;
/** The most credit a reader that keeps up will grant one stream. */
export const MAX_STREAM_WINDOW = 16 * 1024 * 1024;

/**
 * The reading side's credit for one stream. Credit goes back as bytes are read, in batches of a
 * quarter window so WINDOW frames stay rare. The window starts at INITIAL_STREAM_WINDOW and doubles
 * (up to MAX_STREAM_WINDOW) each time a whole window was read by a reader that keeps up, i.e. found
 * nothing left queued: then the window, not the reader, is what limits the stream (one window per
 * round trip). A reader that falls behind or stops never grows it, so it holds at most its window.
 * The extra credit rides on ordinary WINDOW frames, so peers that never grow interoperate.
 */
export class ReceiveWindow {
  private size = INITIAL_STREAM_WINDOW;
  private unreported = 0;
  private readSinceResize = 0;

  get current(): number {
    return this.size;
  }

  /**
   * Records `length` bytes read; `drained` tells whether the read left nothing queued. Returns the
   * credit to grant the peer now, or 0.
   */
  consumed(length: number, drained: boolean): number {
    this.unreported += length;
    this.readSinceResize += length;
    if (this.unreported < this.size / 4) return 0;
    let increment = this.unreported;
    this.unreported = 0;
    if (this.readSinceResize >= this.size) {
      this.readSinceResize = 0;
      if (drained && this.size < MAX_STREAM_WINDOW) {
        increment += this.size;
        this.size *= 2;
      }
    }
    return increment;
  }

  /** Bytes handed back unread (MuxStream.unshift) count as not consumed. */
  returned(length: number): void {
    this.unreported -= length;
    this.readSinceResize -= length;
  }
}

type DataHandler = (bytes: Uint8Array) => void;
type CloseHandler = (error?: Error) => void;

/** Holds a link's data and close events until handlers exist, and delivers close only once, after data. */
export class LinkEvents {
  /** `reusedReads`: data arrives in a reused buffer, so what is held for a later handler is copied. */
  constructor(private readonly reusedReads = false) {}

  private dataHandler: DataHandler | null = null;
  private closeHandler: CloseHandler | null = null;
  private pending: Uint8Array[] = [];
  private closeState: { error?: Error } | null = null;
  private closeDelivered = false;

  get closed(): boolean {
    return this.closeState !== null;
  }

  get closeError(): Error | undefined {
    return this.closeState?.error;
  }

  setDataHandler(handler: DataHandler): void {
    this.dataHandler = handler;
    const pending = this.pending;
    this.pending = [];
    for (const bytes of pending) handler(bytes);
    this.deliverClose();
  }

  setCloseHandler(handler: CloseHandler): void {
    this.closeHandler = handler;
    this.deliverClose();
  }

  emitData(bytes: Uint8Array): void {
    if (this.closeState !== null || bytes.length === 0) return;
    if (this.dataHandler) this.dataHandler(bytes);
    else this.pending.push(this.reusedReads ? bytes.slice() : bytes);
  }

  emitClose(error?: Error): void {
    if (this.closeState !== null) return;
    this.closeState = error ? { error } : {};
    this.deliverClose();
  }

  private deliverClose(): void {
    if (this.closeState === null || this.closeDelivered || !this.closeHandler) return;
    if (this.pending.length > 0) return;
    this.closeDelivered = true;
    this.closeHandler(this.closeState.error);
  }
}

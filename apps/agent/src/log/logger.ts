export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** JSON lines on stderr, so stdout stays free for the human status line and logs stay machine-readable. */
export class Logger {
  constructor(
    private readonly context: LogFields = {},
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  child(fields: LogFields): Logger {
    return new Logger({ ...this.context, ...fields }, this.write);
  }

  debug(message: string, fields: LogFields = {}): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields: LogFields = {}): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields: LogFields = {}): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields: LogFields = {}): void {
    this.log('error', message, fields);
  }

  private log(level: LogLevel, message: string, fields: LogFields): void {
    const record = { time: new Date().toISOString(), level, message, ...this.context, ...fields };
    this.write(`${JSON.stringify(record)}\n`);
  }
}

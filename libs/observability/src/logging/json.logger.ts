import type { LoggerService } from '@nestjs/common';
import { currentCorrelationId } from '../correlation/correlation.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
type Level = LogLevelName | 'fatal';

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };
/** Keys every line has; a logged field of the same name never overrides them. */
const CORE_KEYS = new Set(['time', 'level', 'service', 'instance', 'context', 'correlationId', 'msg']);

export interface JsonLoggerOptions {
  /** Which service wrote the line, e.g. `broker`. */
  service: string;
  /** Which instance of it (its `INSTANCE_ID`). */
  instance?: string;
  /** The least severe level written; `info` unless set. */
  level?: LogLevelName;
  /** Where each line goes; stderr unless set (stdout stays free for a ready line or a banner). */
  write?: (line: string) => void;
}

/**
 * Nest's logger as one JSON object per line: time, level, service, instance, context, correlationId (when
 * the work belongs to a request), msg, then the logged object's other fields. `logger.log({ msg, hostId })`
 * gives `"msg":…,"hostId":…`; an Error gives its message and stack.
 */
export class JsonLogger implements LoggerService {
  private readonly least: number;
  private readonly write: (line: string) => void;

  constructor(private readonly options: JsonLoggerOptions) {
    this.least = RANK[options.level ?? 'info'];
    this.write = options.write ?? ((line) => process.stderr.write(line));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.print('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.print('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.print('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.print('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.print('debug', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.print('fatal', message, params);
  }

  private print(level: Level, message: unknown, params: unknown[]): void {
    if (RANK[level] < this.least) return;
    const { context, stack, extra } = splitParams(level, params);
    const { msg, fields } = describeMessage(message);
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.options.service,
      instance: this.options.instance,
      context,
      correlationId: currentCorrelationId(),
      msg,
    };
    for (const [key, value] of Object.entries({ ...fields, ...extra, stack: stack ?? fields['stack'] })) {
      if (!CORE_KEYS.has(key)) record[key] = value;
    }
    this.write(`${serialize(record)}\n`);
  }
}

/**
 * Nest's loggers append their context as the last string argument, and `error` puts a stack (or
 * undefined) before it: `error(message, stack?, context?)`.
 */
function splitParams(level: Level, params: unknown[]) {
  const rest = [...params];
  const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
  const takesStack = level === 'error' || level === 'fatal';
  const stack =
    takesStack && (typeof rest[0] === 'string' || rest[0] === undefined) ? rest.shift() : undefined;
  const extra: Record<string, unknown> = {};
  for (const param of rest) {
    if (param !== null && typeof param === 'object' && !Array.isArray(param)) Object.assign(extra, param);
    else if (param !== undefined) extra['args'] = [...((extra['args'] as unknown[]) ?? []), param];
  }
  return { context, stack: stack as string | undefined, extra };
}

function describeMessage(message: unknown): { msg: unknown; fields: Record<string, unknown> } {
  if (message instanceof Error) return { msg: message.message, fields: { stack: message.stack } };
  if (message !== null && typeof message === 'object' && !Array.isArray(message)) {
    const { msg, ...fields } = message as Record<string, unknown>;
    return { msg, fields };
  }
  return { msg: typeof message === 'string' ? message : String(message), fields: {} };
}

/** Errors keep their message, bigints become strings; a value that cannot be written says so. */
function serialize(record: Record<string, unknown>): string {
  const replacer = (_key: string, value: unknown) => {
    if (value instanceof Error) return { name: value.name, message: value.message };
    return typeof value === 'bigint' ? value.toString() : value;
  };
  try {
    return JSON.stringify(record, replacer);
  } catch {
    const { time, level, service, instance, context, correlationId, msg } = record;
    return JSON.stringify(
      { time, level, service, instance, context, correlationId, msg: String(msg), unserializable: true },
      replacer,
    );
  }
}

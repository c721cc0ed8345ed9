import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Nest's JSON logger, all levels on stderr: stdout carries only the banner and the ready line. */
export class JsonStderrLogger extends ConsoleLogger {
  constructor() {
    super({ json: true, colors: false });
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack, params);
  }
}

import { Command, Option, type OutputConfiguration } from 'commander';
import { registerAccountCommands } from './commands/account.commands.js';
import { registerSsoCommands } from './commands/sso.commands.js';
import { contextFrom, type CliContext } from './commands/context.js';
import { registerFileCommands } from './commands/file.commands.js';
import { registerScreenCommand } from './commands/screen.command.js';

export interface ProgramOverrides {
  readonly context?: (program: Command) => CliContext;
  readonly output?: OutputConfiguration;
}

/**
 * The `hostlink` command line; `context` is built lazily, after global options are parsed. Parse errors
 * throw (exitOverride, inherited by every command) so main prints them and picks the exit code.
 */
export function buildProgram(env: NodeJS.ProcessEnv, overrides: ProgramOverrides = {}): Command {
  const program = new Command('hostlink')
    .exitOverride()
    .configureOutput(overrides.output ?? {})
    .description("Reach your own computers' files through Hostlink, end-to-end encrypted.")
    .version('0.1.0')
    .option('--config-dir <dir>', 'state folder (env HOSTLINK_CONFIG_DIR; default ~/.config/hostlink)')
    .addOption(
      new Option('--via <route>', 'how to reach hosts').choices(['auto', 'relay', 'direct']).default('auto'),
    )
    .option(
      '--host-password-stdin',
      'read the host password from standard input (or set HOSTLINK_HOST_PASSWORD)',
    )
    .showHelpAfterError('(run `hostlink --help` for usage)');
  let context: CliContext | undefined;
  const factory = () =>
    (context ??= overrides.context ? overrides.context(program) : contextFrom(program, env));
  registerAccountCommands(program, factory);
  registerSsoCommands(program, factory);
  registerFileCommands(program, factory);
  registerScreenCommand(program, factory);
  return program;
}

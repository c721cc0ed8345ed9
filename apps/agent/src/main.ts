#!/usr/bin/env -S node --initial-old-space-size=64
// --initial-old-space-size: with its small heap, this process otherwise meets a V8 heuristic that starts
// a full mark-compact whenever the old generation's headroom is no larger than the young generation,
// and after each collection the headroom is that again: moving a file (one fresh 64 KiB buffer per
// encrypted frame, which keeps the young generation at its maximum) ran a mark-compact every ~25 MB.
// A 64 MB floor for the old generation's limit took 1 GiB from 189 mark-compacts to none and cut this
// process's CPU per GB by a quarter to two fifths (bench/README.md, "V8 heap flags").
import { Command, InvalidArgumentError, Option } from 'commander';
import { DefaultPort, HostlinkError } from '@hostlink/protocol';
import { resolveConfigDir } from './config/agent-config.js';
import { enroll } from './enroll/enroll.command.js';
import { run } from './run/run.command.js';
import { registerDesktopCommands } from './desktop/desktop.program.js';

const AGENT_VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('hostlink-agent')
    .description('Makes this computer a Hostlink host: shares folders over an end-to-end encrypted channel.')
    .version(AGENT_VERSION)
    .option(
      '--config-dir <dir>',
      'agent config folder (env HOSTLINK_AGENT_HOME; default ~/.config/hostlink-agent)',
    );

  program
    .command('enroll')
    .description('register this computer with an enrollment token from `hostlink enroll-token`')
    .requiredOption('--server <url>', 'platform URL, e.g. http://localhost:8080')
    .requiredOption('--token <token>', 'one-time enrollment token')
    .option('--name <name>', 'host name shown to users (default: this computer name)')
    .requiredOption('--share <dir>', 'folder to share (repeat for more)', collect, [])
    .option('--host-password-stdin', 'read the host password from standard input instead of prompting')
    .action(
      async (options: {
        server: string;
        token: string;
        name?: string;
        share: string[];
        hostPasswordStdin?: boolean;
      }) => {
        const configDir = resolveConfigDir(program.opts<{ configDir?: string }>().configDir, process.env);
        const config = await enroll({ ...options, configDir });
        process.stdout.write(
          `enrolled as ${config.hostName} (${config.hostId}); sharing ${config.shares.map((s) => s.path).join(', ')}\n`,
        );
        process.stdout.write(`config saved in ${configDir}; now run: npx hostlink-agent run\n`);
      },
    );

  program
    .command('run')
    .description('keep this host online and serve connections until stopped (Ctrl-C)')
    .option('--no-direct', 'do not accept direct (LAN) connections')
    .addOption(
      new Option('--direct-port <first[-last]>', 'TCP port range for direct connections')
        .default(`${DefaultPort.agentDirectFirst}-${DefaultPort.agentDirectLast}`)
        .argParser(parsePortRange),
    )
    .action(async (options: { direct: boolean; directPort: string | { first: number; last: number } }) => {
      const configDir = resolveConfigDir(program.opts<{ configDir?: string }>().configDir, process.env);
      const directPorts =
        typeof options.directPort === 'string' ? parsePortRange(options.directPort) : options.directPort;
      // Exit explicitly: open client channels must not keep a stopped agent alive.
      process.exit(
        await run({
          configDir,
          direct: options.direct,
          directPorts,
          agentVersion: AGENT_VERSION,
          environment: process.env,
        }),
      );
    });
  registerDesktopCommands(program);
  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parsePortRange(value: string): { first: number; last: number } {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value);
  const first = Number(match?.[1]);
  const last = Number(match?.[2] ?? match?.[1]);
  if (!match || first < 1 || last > 65535 || first > last)
    throw new InvalidArgumentError('expected PORT or FIRST-LAST');
  return { first, last };
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    process.stderr.write(
      `hostlink-agent: ${error instanceof HostlinkError ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}

await main();

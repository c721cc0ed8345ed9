import type { Command } from 'commander';
import { resolveConfigDir } from '../config/agent-config.js';
import { addApp, configureDesktop, listApps, removeApp } from './desktop.commands.js';

/** `desktop` and `app` subcommands: what of the host's desktop the owner offers. */
export function registerDesktopCommands(program: Command): void {
  const configDir = () => resolveConfigDir(program.opts<{ configDir?: string }>().configDir, process.env);
  program
    .command('desktop')
    .description("share this host's screen: its VNC server's address (restart `run` to apply)")
    .requiredOption('--vnc <host:port>', 'the VNC server, e.g. 127.0.0.1:5900')
    .option('--display <display>', 'X display apps are launched on, e.g. :0')
    .action(async (options: { vnc: string; display?: string }) => {
      const desktop = await configureDesktop(configDir(), options);
      process.stdout.write(
        `screen: ${desktop.vnc}${desktop.display ? `, apps on ${desktop.display}` : ''}\n`,
      );
    });
  const app = program.command('app').description('apps users can launch on this host');
  app
    .command('add <id> <name> <command...>')
    .description('add or replace an app: `app add editor "Text editor" -- gedit --new-window`')
    .option('--icon <file-or-text>', 'a PNG, JPEG or SVG file, or a short text such as an emoji')
    .action(async (id: string, name: string, command: string[], options: { icon?: string }) => {
      const added = await addApp(configDir(), { id, name, command, icon: options.icon });
      process.stdout.write(`app ${added.id}: ${added.command.join(' ')}\n`);
    });
  app.command('remove <id>').action(async (id: string) => {
    await removeApp(configDir(), id);
    process.stdout.write(`removed app ${id}\n`);
  });
  app.command('list').action(async () => {
    for (const entry of await listApps(configDir()))
      process.stdout.write(`${entry.id}\t${entry.name}\t${entry.command.join(' ')}\n`);
  });
}

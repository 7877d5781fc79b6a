import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../runtime/config.js';
import { commands } from './commands.js';

const usage = `usage: vrs <command> [options]
commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`)
  .join('\n')}`;

const main = async () => {
  const [name, ...rest] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(name ? `unknown command: ${name}\n${usage}` : usage);
    process.exit(2);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (e) {
    // Unknown option, missing or ambiguous value: a usage error, named, with the command's usage.
    if (!/^ERR_PARSE_ARGS_/.test(String((e as { code?: unknown }).code))) throw e;
    console.error(`${(e as Error).message}\nusage: vrs ${name} — ${command.summary}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  const config = loadConfig();
  const code = await command.run({ config, values: values as Record<string, string | boolean | undefined>, positionals });
  if (typeof code === 'number') process.exit(code);
};

main().catch((caught: unknown) => {
  const e = (caught instanceof Error ? caught : new Error(String(caught))) as Error & { code?: string };
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error(e.message);
  process.exit(1);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The checkout: the CLI runs from it as `npm run vrs` does (`node --import tsx src/cli/main.ts`). */
const root = fileURLToPath(new URL('../..', import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Only what the command needs: nothing leaks in from the jest process (its keys, NODE_OPTIONS, …). */
const childEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env });

/** Starts `vrs <args>` as a child process. */
export const startCli = (args: string[], env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Starts `vrs <args>` (serve, project): the child at once (to be killed whatever happens), `url` once it listens
 * (rejected if it exits first), and all it has printed so far.
 */
export const startListening = (args: string[], env: Record<string, string>) => {
  const child = startCli(args, env);
  let output = '';
  child.stderr!.on('data', (b: Buffer) => (output += b));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      output += b;
      const m = /Server listening at (http:\/\/[^"\s]+)/.exec(output);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`vrs ${args.join(' ')} exited with ${code}:\n${output}`)));
  });
  url.catch(() => {}); // surfaced where it is awaited
  return { child, url, output: () => output };
};

/** Runs `vrs <args>` to its end; its exit status, stdout and stderr. */
export const runCli = (args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = startCli(args, env);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });

/** A line of a Node.js stack trace ("    at fn (file:line:col)"). */
export const stackLine = /^\s+at .+[:(]/m;

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs a bench's server in a child process (the load generator must not share its event loop): the child is the
 * same module, told by `envVar` to serve; it sends one message when ready and exits on 'stop'.
 */
export const forkServer = <Ready>(moduleUrl: string, envVar: string, payload: unknown, execArgv: string[] = []) => {
  const child = fork(fileURLToPath(moduleUrl), [], {
    // A bench compiled to JavaScript (to profile it with the names and lines tsx's minified output loses) runs without tsx.
    execArgv: [...(moduleUrl.endsWith('.ts') ? ['--import', 'tsx'] : []), ...execArgv],
    env: { ...process.env, [envVar]: JSON.stringify(payload) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.send('stop');
    });
  return { ready, stop, pid: child.pid! };
};

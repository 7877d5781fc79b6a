// Entry of a folder worker run from the TypeScript sources: a worker thread does not inherit the tsx loader the
// process was started with (Node 20), so it registers it before loading the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./statusFolderWorker.ts');

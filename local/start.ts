// `npm start`: the local control plane. Ctrl-C (SIGINT) or SIGTERM stops it gracefully.
import { optionsFromEnv, startLocalRuntime } from './runtime.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';

const runtime = await startLocalRuntime(optionsFromEnv()).catch((err: unknown) => {
  console.error(`[flotilla] failed to start: ${errorMessage(err)}`);
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`[flotilla] ${signal}: finishing accepted work, then stopping`);
    runtime.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`[flotilla] stop failed: ${errorMessage(err)}`);
        process.exit(1);
      },
    );
  });
}

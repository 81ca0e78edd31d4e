// salkafka-lint: validates kafka_writers docker-compose files from a shell or CI.
// `salkafka-lint --help` describes the options, output formats and exit codes.
import { run } from './run';

// `salkafka-lint … | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

try {
  process.exitCode = run(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
} catch (err) {
  // run() catches everything itself; this is the last guard against a stack trace.
  process.stderr.write(`salkafka-lint: internal error: ${String((err as Error)?.message ?? err).split('\n')[0]}\n`);
  process.exitCode = 2;
}

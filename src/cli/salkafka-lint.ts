// salkafka-lint: placeholder replaced by the compose lint CLI.
process.exitCode = 0;

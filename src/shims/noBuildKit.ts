// Replaces dockerode's BuildKit modules (lib/session.js, lib/buildkit.js) in our bundle.
// They pull in grpc-js, proto-loader and protobufjs (~400 KB) for `docker build` sessions,
// which this extension never starts. If anything ever calls them, say so plainly.
function unavailable(): never {
  throw new Error('BuildKit sessions are not available in the EFD SAL Kafka extension (image builds are not supported).');
}
module.exports = unavailable;

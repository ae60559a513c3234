"""What the tests and the benchmark share: the engine and plugin harnesses, the emulator's
controls and seed names, the secret watcher, the CLI driver for the e2e suite."""

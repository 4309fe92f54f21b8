"""Shared plumbing with no domain in it: settings, event store, outbox relay, consumers,
projection runner, telemetry and the embedded stack. Every service uses these; none copies them."""

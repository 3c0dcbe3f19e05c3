"""The policy gate: run CrossGuard packs over a capture through the analyzer gRPC protocol."""

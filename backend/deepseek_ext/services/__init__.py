"""Services: combine adapters (I/O) and the pure core for the API and the CLI."""

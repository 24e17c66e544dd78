"""Assembly: settings, the app factory, the HTTP server, the clock and the command line."""

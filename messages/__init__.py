"""Pure functions from domain objects to Block Kit and text, and the content files."""

"""Bolt listeners, one module per Slack surface, each with `register(app)`.

Listeners read their dependencies from Bolt's context (set by the app factory):
`context["db"]` (storage.Database), `context["now"]` (a callable giving the UTC time)
and `context["default_timezone"]`.
"""

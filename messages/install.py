"""The pages of a workspace's install (`/slack/install` and Slack's redirect back), in the
visitor's language. Small HTML documents, every value escaped."""

from __future__ import annotations

from html import escape

from messages.i18n import catalog, current_language

_, ngettext, pgettext = catalog("install")

SLACK_BUTTON = "https://platform.slack-edge.com/img/add_to_slack.png"
STYLE = "body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;text-align:center}"


def _page(title: str, body: str, *, refresh_to: str | None = None) -> str:
    refresh = f'<meta http-equiv="refresh" content="0; URL={escape(refresh_to)}">' if refresh_to else ""
    return (
        f'<!doctype html><html lang="{current_language()}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{refresh}'
        f"<title>{escape(title)}</title>"
        f"<style>{STYLE}</style>"
        f"</head><body>{body}</body></html>"
    )


def install_page(authorize_url: str) -> str:
    title = _("Add Organizer Bot to your Slack")
    alt = _("Add to Slack")
    button = (
        f'<a href="{escape(authorize_url)}"><img alt="{escape(alt)}" height="40" width="139" '
        f'src="{SLACK_BUTTON}" srcset="{SLACK_BUTTON} 1x, {SLACK_BUTTON.replace(".png", "@2x.png")} 2x"></a>'
    )
    intro = _(
        "Register your coalition's events from Slack, remind everyone before each one, and keep the "
        "toolkits and sample posts one command away."
    )
    return _page(title, f"<h1>{escape(title)}</h1><p>{escape(intro)}</p><p>{button}</p>")


def installed_page(open_url: str) -> str:
    title = _("Organizer Bot is installed")
    next_step = _("Opening Slack… In any channel, type /event help to begin.")
    link = _("Open Slack")
    return _page(
        title,
        f'<h1>{escape(title)}</h1><p>{escape(next_step)}</p><p><a href="{escape(open_url)}">{escape(link)}</a></p>',
        refresh_to=open_url,
    )


def install_failed_page(install_path: str, reason: str) -> str:
    title = _("The install did not finish")
    again = _("Please try again from the install page, or ask whoever runs the bot for help.")
    retry = _("Try again")
    detail = _("Slack said: {reason}").format(reason=reason)
    return _page(
        title,
        f"<h1>{escape(title)}</h1><p>{escape(again)}</p>"
        f'<p><a href="{escape(install_path)}">{escape(retry)}</a></p><p><small>{escape(detail)}</small></p>',
    )

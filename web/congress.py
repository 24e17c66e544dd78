"""`/congress?zip=95356`: the public's lookup of their members of Congress, with tap-to-call
links, and a campaign's call to action as the script (`&campaign=slug`). No tracking: the
members' own sites and X are plain links, nothing of theirs is loaded."""

from __future__ import annotations

import re

from flask import Blueprint, Response, render_template, request

from messages import congress as congress_text
from services import congress, public
from storage.places import ZIP_CODE
from web import responses
from web.site import state, team_id

ZIP_MAX = 20  # longer than any ZIP code as typed


def register(bp: Blueprint) -> None:
    bp.get("/congress", endpoint="congress")(congress_page)


def congress_page() -> Response:
    services, team = state().services, team_id()
    slug = request.args.get("campaign", "").strip()
    campaign = public.campaign(services, team, slug) if slug else None
    asked = " ".join(request.args.get("zip", "").split())[:ZIP_MAX]
    found, problem = None, None
    if asked:
        match = ZIP_CODE.fullmatch(asked)
        if match is None:
            problem = congress_text.bad_zip_code()
        elif (found := congress.members_of_zip(match.group(1))) is None:
            problem = congress_text.no_district_for_the_public(match.group(1))
    districts = ", ".join(congress_text.district_label(seat.district) for seat in found.seats) if found else ""
    html = render_template(
        "congress.html",
        asked=asked,
        found=found,
        problem=problem,
        campaign=campaign,
        tel=tel,
        districts=districts,
        role=congress_text.role,
        party=congress_text.party,
        where=congress_text.where,
        district=congress_text.district_label,
    )
    return responses.page(html)


def tel(phone: str) -> str:
    """`202-225-2511` -> `tel:+12022252511`: a phone taps to call."""
    return "tel:+1" + re.sub(r"[^0-9]", "", phone)[-10:]
